"""Quirks: named switches for behaviour that integrators report from the real Nuki Web.

The seed and Nuki's own documents describe one cloud; forum threads and firmware differences
show a few more ways it behaves. Each of those is a quirk here, with its name, whether it is
on by default, one line on what it changes and where it was reported, so that an integration
can be tested both with and without it. ``SimConfig.quirks`` holds the names switched on;
:data:`DEFAULTS` is what a world starts with (the seed's behaviour, plus what Nuki documents).

This registry is the one place a quirk is described: the CLI help (``nuki-sim serve --quirk``)
and the table in docs/behaviour.md are made from it (a test keeps the table in step).
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

TIME_WINDOW_NEEDS_DATE_WINDOW = "time-window-needs-date-window"
WRONG_CODE_TRIGGER_253 = "wrong-code-trigger-253"
RAPID_UPDATE_LOST = "rapid-update-lost"
PARTIAL_UPDATE_CLEARS_TIMES = "partial-update-clears-times"
SECOND_SIGNATURE_HEADER = "second-signature-header"


@dataclass(frozen=True)
class Quirk:
    """One switch: ``summary`` says what it does when on; ``source`` where it was seen."""

    name: str
    default: bool
    summary: str
    source: str
    where: str = ""  # which part of ``source``, when it is a long document


REGISTRY: tuple[Quirk, ...] = (
    Quirk(
        TIME_WINDOW_NEEDS_DATE_WINDOW,
        False,
        "A keypad code's weekday and daily time window (allowedWeekDays, allowedFromTime, "
        "allowedUntilTime) apply only while the code also has a date window (allowedFromDate "
        "or allowedUntilDate); without one the code opens at any time.",
        "https://developer.nuki.io/t/web-api-example-fob-with-changing-restrictions/86",
    ),
    Quirk(
        WRONG_CODE_TRIGGER_253,
        False,
        "A wrong code typed on the keypad is logged with trigger 253 (keypad error, in the "
        "API since 4.18) instead of 255 (keypad); which firmware does so is not documented.",
        "https://api.nuki.io/static/swagger/swagger.json",
        "SmartlockLog.trigger",
    ),
    Quirk(
        RAPID_UPDATE_LOST,
        False,
        "While an update of an authorization is pending, the next update of it is answered "
        "204 and dropped (the lock keeps the earlier value); a third one gets 423.",
        "https://developer.nuki.io/t/problem-when-repeatedly-updating-the-same-keypad-"
        "smartlock-authorization/1178",
    ),
    Quirk(
        PARTIAL_UPDATE_CLEARS_TIMES,
        True,
        "An authorization update replaces all five time fields: one it omits is cleared. "
        "Off: an omitted time field keeps its value (null still clears it).",
        "https://developer.nuki.io/t/nuki-web-api-authorization-update-synchronization-"
        "inconsistency-production-issue/40095",
    ),
    Quirk(
        SECOND_SIGNATURE_HEADER,
        False,
        "Webhooks also carry X-Nuki-Signature: lowercase hex HMAC-SHA1 of the body with the "
        "subscription's secret (Nuki sends this header; its algorithm is undocumented).",
        "https://docs.nuki.io/guide/webhooks/monitoring/",
    ),
)

BY_NAME: dict[str, Quirk] = {q.name: q for q in REGISTRY}
NAMES: tuple[str, ...] = tuple(BY_NAME)
DEFAULTS: frozenset[str] = frozenset(q.name for q in REGISTRY if q.default)
"""The quirks a world has unless told otherwise."""


def chosen(on: Iterable[str] = (), off: Iterable[str] = ()) -> frozenset[str]:
    """The defaults with the quirks ``on`` switched on and ``off`` switched off.

    Refuses (ValueError) an unknown name, or one named in both.
    """
    on, off = set(on), set(off)
    _known(on | off)
    both = on & off
    if both:
        raise ValueError(f"quirk {sorted(both)[0]!r} is switched both on and off")
    return frozenset((DEFAULTS | on) - off)


def normalise(value: object) -> frozenset[str]:
    """``SimConfig.quirks`` from what a caller may give: the names to switch on (any
    collection of strings, e.g. a JSON list), or a mapping ``{name: true|false}`` of changes
    to :data:`DEFAULTS` (what a pytest marker's config dict reads best as)."""
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) and isinstance(v, bool) for k, v in value.items()):
            raise ValueError(f"quirks must map quirk names to true or false, got {value!r:.60}")
        return chosen(
            on=[k for k, v in value.items() if v], off=[k for k, v in value.items() if not v]
        )
    if isinstance(value, str) or not isinstance(value, frozenset | set | list | tuple):
        raise ValueError(
            f"quirks must be a set of quirk names or a mapping of them to true/false, "
            f"got {type(value).__name__}"
        )
    names = list(value)
    if not all(isinstance(n, str) for n in names):
        raise ValueError("quirks must be quirk names (text)")
    _known(names)
    return frozenset(names)


def _known(names: Iterable[str]) -> None:
    unknown = sorted(set(names) - set(BY_NAME))
    if unknown:
        raise ValueError(f"quirks: unknown quirk {unknown[0]!r} (known: {', '.join(NAMES)})")


def help_text() -> str:
    """The quirks for ``nuki-sim serve --help``: name, default, and what each does."""
    lines = ["quirks (--quirk NAME switches one on, --no-quirk NAME off):"]
    for q in REGISTRY:
        lines.append(f"  {q.name} ({'on' if q.default else 'off'} by default)")
        lines.extend(
            textwrap.wrap(q.summary, 88, initial_indent=" " * 6, subsequent_indent=" " * 6)
        )
    return "\n".join(lines)


def docs_table() -> str:
    """The Markdown table docs/behaviour.md carries (a test compares the two)."""
    rows = ["| Quirk | Default | When on | Source |", "|---|---|---|---|"]
    for q in REGISTRY:
        where = f" ({q.where})" if q.where else ""
        default = "on" if q.default else "off"
        rows.append(f"| `{q.name}` | {default} | {q.summary} | <{q.source}>{where} |")
    return "\n".join(rows)
