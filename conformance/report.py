"""Results of a kit run: per-scenario records, the results JSON, the summary and the
expected-failures file.

JUnit XML (pytest's ``--junitxml``) is the authoritative record; the results JSON adds what
JUnit cannot hold (scenario id, strength, rule, reason) and the summary scores ``@must`` and
``@should`` separately. Problems that are not a scenario's verdict — the adapter factory failed
(the run stopped), the adapter's ``close()`` raised — are kept apart as errors, so an "all
passed" score never hides a failed run.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass
class Record:
    nodeid: str
    scenario_id: str
    strength: str  # must | should | ""
    feature: str
    rule: str
    scenario: str
    status: str  # passed | failed | skipped | xfailed | stale
    duration: float
    reason: str = ""


@dataclass
class Problem:
    """An error beside the scenarios' verdicts; it fails the run whatever they say."""

    kind: str  # factory (the run stopped) | teardown (e.g. the adapter's close() raised)
    message: str
    scenario_id: str = ""  # the scenario it happened in or after


def read_expected_failures(path: str | Path) -> dict[str, str]:
    """``<scenario id> <reason…>`` per line; ``#`` starts a comment; blank lines are fine.

    An id may name a whole scenario (every example of an outline) or one example, written
    ``id[example]`` as the results JSON shows it.
    """
    entries: dict[str, str] = {}
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        scenario_id, _, reason = line.partition(" ")
        if not scenario_id:
            raise ValueError(f"{path}:{number}: expected '<scenario id> <reason>'")
        entries[scenario_id] = reason.strip() or "listed in the expected-failures file"
    return entries


def summary(
    records: list[Record],
    problems: list[Problem] | None = None,
    profile: str = "",
    other_profile: list[str] | None = None,
) -> str:
    """The human summary; ``profile`` names the run's cloud behaviour profile and
    ``other_profile`` the scenarios left out because they hold under another one."""
    problems = problems or []
    lines = ["nuki-conformance summary" + (f" (profile {profile})" if profile else "")]
    lines += [f"  RUN STOPPED: {p.message}" for p in problems if p.kind == "factory"]
    for strength, label in (("must", "@must"), ("should", "@should"), ("", "untagged")):
        picked = [r for r in records if r.strength == strength]
        if not picked:
            continue
        counts = Counter(r.status for r in picked)
        ran = len(picked) - counts["skipped"]
        score = f"{counts['passed']}/{ran}" if ran else "0/0"
        detail = ", ".join(
            f"{counts[k]} {k}"
            for k in ("passed", "failed", "xfailed", "stale", "skipped")
            if counts[k]
        )
        lines.append(f"  {label:<8} {score:>8} passed   ({detail})")
    if other_profile:
        count = len(other_profile)
        noun = "scenario" if count == 1 else "scenarios"
        lines.append(f"  {count} {noun} not for this profile (not run)")
    unexpected = [r for r in records if r.status in ("failed", "stale")]
    for record in unexpected:
        lines.append(
            f"  UNEXPECTED {record.status.upper()}: {record.scenario_id} — {record.reason[:200]}"
        )
    for problem in problems:
        if problem.kind == "factory":
            continue
        where = f" (after {problem.scenario_id})" if problem.scenario_id else ""
        lines.append(f"  ERROR{where}: {problem.message[:300]}")
    wrong = len(unexpected) + len(problems)
    lines.append(
        "  result: "
        + ("no unexpected results" if not wrong else f"{wrong} unexpected results or errors")
    )
    return "\n".join(lines)


def write_json(
    records: list[Record],
    path: str | Path,
    meta: dict[str, str],
    problems: list[Problem] | None = None,
    other_profile: list[str] | None = None,
) -> None:
    """``results`` per scenario and, beside them, the run's ``errors`` (empty when none) and
    ``not_for_profile``: scenario ids left out because they hold under another profile (the
    run's profile is ``meta.profile``)."""
    data = {
        "meta": meta,
        "results": [asdict(r) for r in records],
        "errors": [asdict(p) for p in problems or []],
        "not_for_profile": sorted(other_profile or []),
    }
    Path(path).write_text(json.dumps(data, indent=2), encoding="utf-8")
