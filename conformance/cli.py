"""``nuki-conformance``: run the Gherkin suites against an implementation, report, exit.

Exit code 0 only when there are no unexpected results: every scenario passed, was skipped
for a stated reason, or failed while listed in ``--expected-failures`` (a listed scenario
that passes is *stale* and fails the run, so the file cannot rot). An adapter factory that
cannot give an adapter stops the run with exit code 6 and one message saying why.

``--features DIR`` runs your own feature files with the kit's step library, next to the suite
``--suite`` picks; ``--suite none`` runs yours alone.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from nuki_sim.conformance.plugin import EXIT_FACTORY_FAILED

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


def pytest_args(args: argparse.Namespace, extra: Sequence[str]) -> list[str]:
    report = Path(args.report_dir)
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
    ]  # fmt: skip
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
    code = pytest.main(pytest_args(args, extra))
    if code == pytest.ExitCode.NO_TESTS_COLLECTED:
        print("nuki-conformance: no scenario matched the selection", file=sys.stderr)
    elif code == EXIT_FACTORY_FAILED:
        for error in _errors(Path(args.report_dir) / "results.json"):
            print(f"nuki-conformance: {error}", file=sys.stderr)
    return int(code)


def _errors(results: Path) -> list[str]:
    """The run's errors as the results JSON holds them (the plugin wrote it in this process)."""
    try:
        data = json.loads(results.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ["the adapter factory failed (see the output above)"]
    return [str(e["message"]) for e in data.get("errors", [])]
