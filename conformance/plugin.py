"""The kit as a pytest plugin (entry point ``nuki_conformance``).

Options pick the implementation under test: ``--adapter module:factory`` (a Python adapter,
in-process; the reference adapter by default), ``--adapter-url`` (anything serving the JSON
trait API), ``--nuki-url``/``--token`` (any Nuki Web base URL for the API-level suite), each
also from ``NUKI_CONFORMANCE_*`` environment variables. Tags become markers; ``@id:`` tags
name scenarios for selection, reports and the expected-failures file. ``--features DIR`` adds
your own feature files, run with the same step library (``nuki_sim.conformance.suite.test_features``
binds them).

Two promises that keep results independent of timing and of the implementation's mistakes:
after every step the simulator's webhook outbox is flushed (in both time modes), so the next
step sees everything the last one caused; and an adapter factory that cannot give an adapter
stops the run at once with one clear message and exit code ``EXIT_FACTORY_FAILED``.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from pytest_bdd.scenario import scenario_wrapper_template_registry

from nuki_sim.conformance import report

if TYPE_CHECKING:
    from nuki_sim.conformance.driver import Driver

# Every pytest session where nuki-sim is installed loads this module and the step modules
# below, so they import no more than pytest and pytest-bdd load anyway: the driver (aiohttp,
# the simulator, the adapter) loads when the first scenario asks for the kit.

pytest_plugins = [
    "nuki_sim.conformance.steps.common",
    "nuki_sim.conformance.steps.traits",
    "nuki_sim.conformance.steps.nuki_web",
    "nuki_sim.conformance.steps.once",
    "nuki_sim.conformance.steps.rules",
    "nuki_sim.conformance.steps.device",
]

MARKERS = {
    "must": "behaviour the seed documents",
    "should": "behaviour observed on the real system",
    "control": "needs the simulator's /_sim control plane (time travel, device events)",
    "webhooks": "needs webhooks delivered to a receiver on 127.0.0.1",
    "writes": "changes state (left out by --read-only)",
    "read_only": "safe against a real account",
    "adapter_clock": "needs the adapter's clock to move with the simulator (in-process only)",
}
ENV = {
    "adapter": "NUKI_CONFORMANCE_ADAPTER",
    "adapter_url": "NUKI_CONFORMANCE_ADAPTER_URL",
    "nuki_url": "NUKI_CONFORMANCE_NUKI_URL",
    "token": "NUKI_CONFORMANCE_TOKEN",
    "control_token": "NUKI_CONFORMANCE_CONTROL_TOKEN",
    "time_mode": "NUKI_CONFORMANCE_TIME_MODE",
    "kit_profile": "NUKI_CONFORMANCE_PROFILE",
}
PROFILES = ("seed", "nuki-docs")
"""The cloud behaviours a scenario can hold under (``nuki_sim.simulator.domain.config``)."""
PROFILE_TAG = "profile-"
"""``@profile-seed``, ``@profile-nuki-docs``: a scenario (or feature, or rule) holds only under
the profiles it names; untagged, under every profile."""
RECORDS = pytest.StashKey[list[report.Record]]()
OTHER_PROFILE = pytest.StashKey[list[str]]()
PROFILE = pytest.StashKey[str]()
PROBLEMS = pytest.StashKey[list[report.Problem]]()
FLUSH_SECONDS = 10.0  # what /_sim/webhooks/flush waits at most, as the kit asks it
EXIT_FACTORY_FAILED = 6  # beside pytest's own 0-5: the run stopped before any scenario could


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("nuki-conformance")
    group.addoption("--adapter", help="the trait adapter: module:factory or an entry point name")
    group.addoption("--adapter-url", help="an implementation serving the JSON trait API")
    group.addoption("--nuki-url", help="a Nuki Web base URL (default: an in-process simulator)")
    group.addoption("--token", help="the API token for --nuki-url")
    group.addoption("--control-token", help="the simulator's --control-token, if it has one")
    group.addoption("--time-mode", choices=("virtual", "freezegun"), help="how time moves")
    group.addoption(
        "--kit-profile",
        choices=PROFILES,
        help="the cloud behaviour (default seed): the in-process simulator starts with it; "
        "a --nuki-url simulator's own (GET /_sim/config) wins",
    )
    group.addoption("--expected-failures", help="file of scenario ids expected to fail")
    group.addoption("--results-json", help="write per-scenario results as JSON here")
    group.addoption("--summary-file", help="write the human summary here too")
    group.addoption("--read-only", action="store_true", help="leave out scenarios that write")
    group.addoption("--scenario-id", action="append", default=[], help="run only these ids")
    group.addoption(
        "--features",
        action="append",
        default=[],
        help="a directory of your own .feature files, run with the kit's steps "
        "(collected through --pyargs nuki_sim.conformance.suite.test_features)",
    )


def option(config: pytest.Config, name: str) -> Any:
    value = config.getoption(name)
    if value is None and name in ENV:
        value = os.environ.get(ENV[name]) or None
    return value


def pytest_configure(config: pytest.Config) -> None:
    for name, text in MARKERS.items():
        config.addinivalue_line("markers", f"{name}: {text}")
    config.stash[RECORDS] = []
    config.stash[PROBLEMS] = []
    config.stash[OTHER_PROFILE] = []
    _CONFIG[:] = [config]


def feature_dirs() -> list[Path]:
    """The ``--features`` directories of the session being configured, made absolute."""
    if not _CONFIG:
        return []
    return [Path(d).resolve() for d in _CONFIG[0].getoption("features") or []]


@pytest.hookimpl(tryfirst=True)
def pytest_bdd_apply_tag(tag: str, function: Any) -> Any:
    if tag.startswith(("id:", PROFILE_TAG)):
        return True  # read from the scenario at collection; not a marker
    if tag in MARKERS:
        return getattr(pytest.mark, tag)(function)
    return True  # unknown tags are kept in the feature file, not turned into markers


def scenario_of(item: pytest.Item) -> Any:
    function = getattr(item, "function", None)
    return scenario_wrapper_template_registry.get(function) if function is not None else None


def scenario_tags(template: Any) -> set[str]:
    """The scenario's tags with its feature's and its rule's."""
    rule_tags = template.rule.tags if template.rule is not None else set()
    return set(template.tags) | set(template.feature.tags) | set(rule_tags)


def holds_under(template: Any, profile: str) -> bool:
    """Whether the scenario holds under ``profile``: its ``@profile-*`` tags name it, or it
    has none (then it holds under every profile)."""
    named = {t[len(PROFILE_TAG) :] for t in scenario_tags(template) if t.startswith(PROFILE_TAG)}
    return not named or profile in named


def scenario_id(item: pytest.Item) -> str:
    template = scenario_of(item)
    if template is None:
        return ""
    tags = scenario_tags(template)
    base = next((t[3:] for t in sorted(tags) if t.startswith("id:")), template.name)
    callspec = getattr(item, "callspec", None)
    return f"{base}[{callspec.id}]" if callspec is not None else base


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    wanted = set(option(config, "scenario_id") or [])
    path = option(config, "expected_failures")
    expected = report.read_expected_failures(path) if path else {}
    profile = ""
    kept, dropped = [], []
    for item in items:
        sid = scenario_id(item)
        if not sid:
            kept.append(item)
            continue
        base = sid.split("[", 1)[0]
        if wanted and sid not in wanted and base not in wanted:
            dropped.append(item)
            continue
        profile = profile or kit_profile(config)  # asked only when there are scenarios
        if not holds_under(scenario_of(item), profile):
            config.stash[OTHER_PROFILE].append(sid)  # reported as not for this profile
            dropped.append(item)
            continue
        item.user_properties.append(("scenario_id", sid))
        reason = expected.get(sid) or expected.get(base)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=f"expected failure: {reason}", strict=True))
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def kit_profile(config: pytest.Config) -> str:
    """The profile this run checks, found once: ``--kit-profile`` (default ``seed``) for the
    in-process simulator; against ``--nuki-url`` the profile that server runs, read from
    ``GET /_sim/config`` when it has a control plane (a flag that says otherwise is refused),
    else the flag is trusted (a real account: nobody can ask it)."""
    if PROFILE in config.stash:
        return config.stash[PROFILE]
    flag = option(config, "kit_profile")
    if flag is not None and flag not in PROFILES:
        raise pytest.UsageError(f"profile must be one of {', '.join(PROFILES)}, got {flag!r}")
    profile = flag or "seed"
    url = option(config, "nuki_url")
    if url:
        from nuki_sim.conformance.control import served_profile

        served = served_profile(url, option(config, "control_token"))
        if served is not None and flag is not None and served != flag:
            raise pytest.UsageError(
                f"--profile {flag}, but the simulator at {url} runs the profile {served} "
                f"(GET /_sim/config): start it with --profile {flag}, or drop the flag"
            )
        profile = served or profile
    config.stash[PROFILE] = profile
    return profile


@pytest.fixture(scope="session")
def kit_driver(pytestconfig: pytest.Config) -> Iterator[Driver]:
    from nuki_sim.conformance.driver import Driver, KitOptions

    options = KitOptions(
        adapter=option(pytestconfig, "adapter"),
        adapter_url=option(pytestconfig, "adapter_url"),
        nuki_url=option(pytestconfig, "nuki_url"),
        token=option(pytestconfig, "token"),
        control_token=option(pytestconfig, "control_token"),
        time_mode=option(pytestconfig, "time_mode") or "virtual",
        profile=kit_profile(pytestconfig),
    )
    driver = Driver(options)
    driver.open()
    try:
        yield driver
    finally:
        driver.close()


@pytest.fixture
def kit(kit_driver: Driver, request: pytest.FixtureRequest) -> Iterator[Driver]:
    """The driver, reset for one scenario; skips what the target cannot do, saying why."""
    node = request.node
    if node.get_closest_marker("control") and not kit_driver.has_control:
        pytest.skip("the Nuki Web target has no /_sim control plane (a real account?)")
    if node.get_closest_marker("writes") and request.config.getoption("read_only"):
        pytest.skip("--read-only: this scenario changes state")
    if node.get_closest_marker("webhooks") and not _is_local(kit_driver.nuki_url):
        pytest.skip("webhooks need a target that can reach a receiver on 127.0.0.1")
    if node.get_closest_marker("adapter_clock") and kit_driver.options.adapter_url:
        pytest.skip("an adapter behind --adapter-url keeps its own clock; it cannot travel in time")
    kit_driver.begin()
    try:
        yield kit_driver
    finally:
        kit_driver.end()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """An adapter factory that fails would fail every scenario alike: say it once and stop."""
    try:
        return (yield)
    except Exception as exc:
        targets = sys.modules.get("nuki_sim.conformance.targets")  # loaded by any kit run
        if targets is None or not isinstance(exc, targets.FactoryError):
            raise
        problem = report.Problem("factory", str(exc), scenario_id(item))
        item.config.stash[PROBLEMS].append(problem)
        pytest.exit(str(exc), returncode=EXIT_FACTORY_FAILED)


def pytest_bdd_after_step(step_func_args: dict[str, Any]) -> None:
    """Deliver every webhook a step caused before the next step looks, in both time modes.

    A keypad entry or a sync queues webhooks; without this, whether the implementation has
    seen them by the next check would depend on timing, and a result on the time mode.
    """
    driver = step_func_args.get("kit")
    if driver is None:
        return  # another pytest-bdd suite's step
    from nuki_sim.conformance.driver import Driver

    if isinstance(driver, Driver) and driver.has_control and driver.control is not None:
        driver.run(_flush(driver))


async def _flush(driver: Driver) -> None:
    """The in-process simulator's outbox directly (nearly free when empty), else over HTTP."""
    if driver.sim is not None:
        from nuki_sim.simulator.http.keys import DISPATCHER

        await driver.sim.runner.app[DISPATCHER].drain(FLUSH_SECONDS)
    else:
        assert driver.control is not None
        await driver.control.flush_webhooks()


def _is_local(url: str) -> bool:
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


# --- reporting -------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    result = yield
    template = scenario_of(item)
    if template is None:
        return result
    tags = set(template.tags) | set(template.feature.tags)
    if template.rule is not None:
        tags |= set(template.rule.tags)
    strength = "must" if "must" in tags else "should" if "should" in tags else ""
    result.user_properties.extend(
        [
            ("strength", strength),
            ("feature", template.feature.name),
            ("rule", template.rule.name if template.rule is not None else ""),
            ("scenario", template.name),
        ]
    )
    return result


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Record each scenario's outcome (on the xdist controller too: reports carry properties)."""
    props = dict(report.user_properties)
    if "scenario_id" not in props:
        return
    if report.when == "teardown" and report.failed:
        _CONFIG[0].stash[PROBLEMS].append(_teardown_problem(report, props))
        return
    finished = report.when == "call" or (report.when == "setup" and report.outcome != "passed")
    if not finished:
        return
    if hasattr(report, "wasxfail"):
        status = (
            "stale" if report.outcome in ("passed", "failed") and not report.skipped else "xfailed"
        )
        reason = str(report.wasxfail)
    else:
        status = report.outcome
        reason = ""
        if report.skipped and isinstance(report.longrepr, tuple):
            reason = str(report.longrepr[2])
        elif report.failed:
            reason = _short(report.longreprtext)
    if report.failed and "XPASS(strict)" in report.longreprtext:
        status, reason = "stale", "listed as an expected failure, but it passed"
    _CONFIG[0].stash[RECORDS].append(_record(report, props, status, reason))


_CONFIG: list[pytest.Config] = []


def _record(
    result: pytest.TestReport, props: dict[str, Any], status: str, reason: str
) -> report.Record:
    return report.Record(
        nodeid=result.nodeid,
        scenario_id=str(props.get("scenario_id", "")),
        strength=str(props.get("strength", "")),
        feature=str(props.get("feature", "")),
        rule=str(props.get("rule", "")),
        scenario=str(props.get("scenario", "")),
        status=status,
        duration=round(result.duration, 4),
        reason=reason,
    )


def _teardown_problem(result: pytest.TestReport, props: dict[str, Any]) -> report.Problem:
    """A scenario's verdict stands; what failed after it is an error of the run."""
    from nuki_sim.conformance.targets import AdapterCloseError

    text = result.longreprtext
    close = next(
        (line for line in text.splitlines() if AdapterCloseError.__name__ in line and ":" in line),
        "",
    )
    message = (
        close.split(AdapterCloseError.__name__ + ":", 1)[-1].strip()
        if close
        else f"the scenario's teardown failed: {_short(text)}"
    )
    return report.Problem("teardown", message, str(props.get("scenario_id", "")))


def _short(text: str) -> str:
    lines = [line for line in text.splitlines() if line.startswith("E ")]
    return " ".join(line[1:].strip() for line in lines)[:500] or text[-500:]


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    records, problems = config.stash[RECORDS], config.stash[PROBLEMS]
    if not (records or problems) or hasattr(config, "workerinput"):
        return
    profile, other = config.stash.get(PROFILE, ""), config.stash[OTHER_PROFILE]
    text = report.summary(records, problems, profile, other)
    terminalreporter.write_sep("=", "nuki-conformance")
    terminalreporter.write_line(text)
    if option(config, "results_json"):
        meta = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "profile": profile}
        report.write_json(records, option(config, "results_json"), meta, problems, other)
    if option(config, "summary_file"):
        with open(option(config, "summary_file"), "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
