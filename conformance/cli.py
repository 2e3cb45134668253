"""``nuki-conformance``: run the Gherkin suites against an implementation, report, exit.

Exit code 0 only when there are no unexpected results: every scenario passed, was skipped
for a stated reason, or failed while listed in ``--expected-failures`` (a listed scenario
that passes is *stale* and fails the run, so the file cannot rot). An adapter factory that
cannot give an adapter stops the run with exit code 6 and one message saying why.

``--features DIR`` runs your own feature files with the kit's step library, next to the suite
``--suite`` picks; ``--suite none`` runs yours alone.

``--profile all`` runs the suites once per cloud behaviour profile (``seed``, then
``nuki-docs``), each into a report directory of its own, and fails if either run fails.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from nuki_sim.conformance.plugin import EXIT_FACTORY_FAILED, PROFILES

SUITES = {
    "traits": ["nuki_sim.conformance.suite.test_traits"],
    "nuki_web": ["nuki_sim.conformance.suite.test_nuki_web"],
    "all": ["nuki_sim.conformance.suite.test_traits", "nuki_sim.conformance.suite.test_nuki_web"],
    "none": [],  # only the --features given
}
FEATURES_MODULE = "nuki_sim.conformance.suite.test_features"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nuki-conformance",
        description="Check a Nuki integration against the documented behaviour.",
        epilog="Arguments after -- go to pytest unchanged (e.g. -- -n auto).",
    )
    parser.add_argument("--suite", choices=sorted(SUITES), default="all")
    parser.add_argument("--adapter", help="a Python trait adapter factory: module:factory")
    parser.add_argument("--adapter-url", help="an implementation serving the JSON trait API")
    parser.add_argument("--nuki-url", help="a Nuki Web base URL (default: in-process simulator)")
    parser.add_argument("--token", help="the API token for --nuki-url")
    parser.add_argument("--control-token", help="the simulator's control-plane token")
    parser.add_argument("--time-mode", choices=("virtual", "freezegun"), default=None)
    parser.add_argument(
        "--profile",
        choices=(*PROFILES, "all"),
        default=None,
        help="the cloud behaviour to check under (default seed): the in-process simulator "
        "starts with it, and scenarios tagged for another profile are left out; 'all' runs "
        "once per profile, reports each under REPORT_DIR/<profile>/. Against --nuki-url the "
        "profile is the one that server runs: read from its GET /_sim/config when it has a "
        "control plane (a different --profile is refused), else the flag is trusted",
    )
    parser.add_argument("--tags", help="a marker expression, e.g. 'must and not webhooks'")
    parser.add_argument("--id", action="append", default=[], help="run only this scenario id")
    parser.add_argument("--expected-failures", help="scenario ids expected to fail (one a line)")
    parser.add_argument("--read-only", action="store_true", help="leave out scenarios that write")
    parser.add_argument("--report-dir", default="nuki-conformance-report", help="where reports go")
    parser.add_argument(
        "--features",
        action="append",
        default=[],
        metavar="DIR",
        help="also run your own .feature files in DIR with the kit's steps (see docs/steps.md)",
    )
    parser.add_argument("-q", "--quiet", action="store_true")
    return parser


def pytest_args(
    args: argparse.Namespace, extra: Sequence[str], profile: str | None = None
) -> list[str]:
    """pytest's arguments for one run; ``profile`` (None: the flag's, if any) names the run."""
    every = args.profile == "all"
    profile = profile or (None if every else args.profile)
    report = Path(args.report_dir) / (profile or "") if every else Path(args.report_dir)
    report.mkdir(parents=True, exist_ok=True)
    modules = SUITES[args.suite] + ([FEATURES_MODULE] if args.features else [])
    argv = ["-p", "no:cacheprovider", "--pyargs", *modules]
    argv += [f"--features={Path(d).resolve()}" for d in args.features]
    # This command imported the kit's package before pytest started: nothing to rewrite.
    argv += ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    argv += [
        f"--junitxml={report / 'junit.xml'}",
        f"--results-json={report / 'results.json'}",
        f"--summary-file={report / 'summary.txt'}",
        "-o", "junit_family=xunit2",
        "-o", f"junit_suite_name=nuki-conformance[{profile or 'seed'}]",
    ]  # fmt: skip
    if profile:
        argv.append(f"--kit-profile={profile}")
    for flag in ("adapter", "adapter_url", "nuki_url", "token", "control_token", "time_mode"):
        value = getattr(args, flag)
        if value:
            argv.append(f"--{flag.replace('_', '-')}={value}")
    if args.expected_failures:
        argv.append(f"--expected-failures={args.expected_failures}")
    if args.read_only:
        argv.append("--read-only")
    for scenario_id in args.id:
        argv.append(f"--scenario-id={scenario_id}")
    if args.tags:
        argv += ["-m", args.tags]
    if importlib.util.find_spec("pytest_asyncio") is not None:
        argv += ["-o", "asyncio_default_fixture_loop_scope=function"]  # silence its warning
    argv.append("-q" if args.quiet else "-v")
    return [*argv, *extra]


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in raw:
        at = raw.index("--")
        raw, extra = raw[:at], raw[at + 1 :]
    parser = build_parser()
    args = parser.parse_args(raw)
    for directory in args.features:
        if not any(Path(directory).rglob("*.feature")):
            parser.error(f"--features {directory}: no .feature file there")
    if args.suite == "none" and not args.features:
        parser.error("--suite none runs only --features DIR: give at least one")
    if args.profile == "all" and args.nuki_url:
        parser.error(
            "--profile all needs the in-process simulator: a server at --nuki-url runs one "
            "profile (start one per profile and run the kit against each)"
        )
    if args.profile != "all":
        return _run(args, extra, args.profile, Path(args.report_dir))
    codes: dict[str, int] = {}
    for profile in PROFILES:
        codes[profile] = _run(args, extra, profile, Path(args.report_dir) / profile)
        if codes[profile] == EXIT_FACTORY_FAILED:
            break  # the adapter cannot be built: the next profile would stop the same way
    _write_overall(Path(args.report_dir), codes)
    return next((code for code in codes.values() if code != 0), 0)


def _run(args: argparse.Namespace, extra: Sequence[str], profile: str | None, report: Path) -> int:
    """One pytest run of the kit under ``profile`` (None: the default, or the server's)."""
    code = pytest.main(pytest_args(args, extra, profile))
    shown = f" (profile {profile})" if args.profile == "all" else ""
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print(f"nuki-conformance: no scenario matched the selection{shown}", file=sys.stderr)
    elif code == EXIT_FACTORY_FAILED:
        for error in _errors(report / "results.json"):
            print(f"nuki-conformance: {error}", file=sys.stderr)
    return int(code)


def _write_overall(report: Path, codes: dict[str, int]) -> None:
    """REPORT_DIR/summary.txt for ``--profile all``: each profile's summary, then the verdict."""
    parts = []
    for profile, code in codes.items():
        try:
            text = (report / profile / "summary.txt").read_text(encoding="utf-8").rstrip()
        except OSError:
            text = f"nuki-conformance summary (profile {profile})\n  no summary (exit {code})"
        parts.append(text)
    failed = [profile for profile, code in codes.items() if code != 0]
    verdict = "every profile passed" if not failed else "failed under " + ", ".join(failed)
    text = "\n".join(parts) + f"\nnuki-conformance --profile all: {verdict}\n"
    (report / "summary.txt").write_text(text, encoding="utf-8")
    print(text, end="")


def _errors(results: Path) -> list[str]:
    """The run's errors as the results JSON holds them (the plugin wrote it in this process)."""
    try:
        data = json.loads(results.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["the adapter factory failed (see the output above)"]
    return [str(e["message"]) for e in data.get("errors", [])]
