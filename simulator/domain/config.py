"""The simulator's knobs, with defaults that follow the real system.

Every value is checked when a :class:`SimConfig` is made, wherever it comes from (Python, the
pytest marker, a ``--state`` file, a control-plane restore): a wrong type or an absurd value
would otherwise start a world that breaks much later and far from the cause (a negative body
limit turns every body into 413, a text retry delay stalls webhook delivery silently).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Any, Literal, get_args

from nuki_sim.simulator.domain import quirks as quirks_registry

DAY = 86_400.0
MAX_BODY_LIMIT = 64 * 1024 * 1024
"""The largest ``max_body_bytes`` accepted: the API's bodies are a few hundred bytes."""

Profile = Literal["seed", "nuki-docs"]
PROFILES: tuple[str, ...] = get_args(Profile)
"""The cloud behaviours on offer: ``seed`` (the specification of record: an API change is
listed at the lock's daily sync) and ``nuki-docs`` (Nuki's documentation: listed shortly
after the lock applied it). docs/behaviour.md has the table of what differs, with sources."""


@dataclass(frozen=True)
class SimConfig:
    """Behaviour settings of one simulated world. All durations are simulated seconds."""

    push_delay: float = 3.0
    """How long an online device takes to receive a queued command (Nuki's "fast sync")."""
    motor_seconds: float = 2.0
    """How long the motor runs for one lock/unlock (the transitional state lasts this long)."""
    unlatch_seconds: float = 3.0
    """How long the latch stays pulled (``advancedConfig.unlatchDuration``)."""
    lock_n_go_seconds: float = 20.0
    """Lock 'n' go's wait before it locks again (``advancedConfig.lngTimeout``)."""
    max_keypad_codes: int | None = None
    """Keypad codes every lock holds, whatever its keypad; None: each lock's keypad model
    decides (Keypad 100, Keypad 2 200: :mod:`~nuki_sim.simulator.domain.devices`)."""
    battery_drain_per_action: float = 0.05
    """Battery percent one motor action costs."""
    battery_critical_below: int = 20
    """``batteryCritical`` is true below this charge."""
    max_body_bytes: int = 64 * 1024
    """Larger request bodies are refused with 413 before they are parsed."""
    webhook_retry_first: float = 10.0
    """Simulated seconds before the first retry of a failed webhook; doubles each time."""
    webhook_retry_ceiling: float = 3600.0
    """The longest wait between two retries."""
    webhook_deactivate_after: int = 20
    """Consecutive failed attempts after which a subscription is deactivated (as Nuki does)."""
    webhook_timeout: float = 10.0
    """Real seconds a receiver has to answer one POST (a network timeout, not simulated time)."""
    webhook_allow_private: bool = False
    """Accept webhook URLs on private and link-local addresses (and plain http to them and to
    host names): for receivers on a LAN or in other containers. See docs/security.md."""
    quirks: frozenset[str] = quirks_registry.DEFAULTS
    """The quirks switched on (names from :mod:`~nuki_sim.simulator.domain.quirks`). Also
    given as any collection of names, or as ``{name: true|false}`` changes to the defaults."""
    profile: Profile = "seed"
    """Which description of the cloud to follow (see :data:`PROFILES`)."""
    propagation_seconds: float = 30.0
    """Under ``nuki-docs``: from the lock applying an API write to the cloud listing it (and
    sending DEVICE_AUTHS). Unused under ``seed``, where the daily sync lists it."""

    def __post_init__(self) -> None:
        # A set or a mapping from Python, JSON or a marker becomes the frozenset kept.
        object.__setattr__(self, "quirks", quirks_registry.normalise(self.quirks))
        if self.profile not in PROFILES:
            raise ValueError(
                f"profile must be {' or '.join(map(repr, PROFILES))}, got {_shown(self.profile)}"
            )
        for name, (kind, low, high) in BOUNDS.items():
            if name not in OPTIONAL or getattr(self, name) is not None:
                check(name, getattr(self, name), kind, low, high)
        for f in fields(self):
            if isinstance(f.default, bool) and not isinstance(getattr(self, f.name), bool):
                raise ValueError(
                    f"{f.name} must be true or false, got {_shown(getattr(self, f.name))}"
                )
        if self.webhook_retry_ceiling < self.webhook_retry_first:
            raise ValueError(
                "webhook_retry_ceiling must be at least webhook_retry_first "
                f"({self.webhook_retry_first}), got {self.webhook_retry_ceiling!r}"
            )

    def replace(self, **changes: Any) -> SimConfig:
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return SimConfig(**values)


BOUNDS: dict[str, tuple[type, float, float]] = {
    "push_delay": (float, 0.0, DAY),
    "motor_seconds": (float, 0.001, 600.0),
    "unlatch_seconds": (float, 0.0, 600.0),
    "lock_n_go_seconds": (float, 0.0, 3600.0),
    "max_keypad_codes": (int, 1, 10_000),
    "battery_drain_per_action": (float, 0.0, 100.0),
    "battery_critical_below": (int, 0, 100),
    "max_body_bytes": (int, 1, MAX_BODY_LIMIT),
    "webhook_retry_first": (float, 0.001, DAY),
    "webhook_retry_ceiling": (float, 0.001, 30 * DAY),
    "webhook_deactivate_after": (int, 1, 10_000),
    "webhook_timeout": (float, 0.001, 300.0),
    "propagation_seconds": (float, 0.0, 3600.0),
}
"""Each setting's kind and inclusive range: wide enough for any test, narrow enough that a
typo (a sign, a unit, a text) is caught where it is made."""
OPTIONAL = frozenset({"max_keypad_codes"})
"""Settings that may be None (None: the simulator's own per-lock value)."""


def check(name: str, value: object, kind: type, low: float, high: float) -> None:
    """Raise ValueError naming ``name`` unless ``value`` is a ``kind`` within [low, high]."""
    noun = "an integer" if kind is int else "a number"
    if low > 0:
        noun = "a positive integer" if kind is int else "a positive number"
    ok_type = isinstance(value, int) if kind is int else isinstance(value, int | float)
    if isinstance(value, bool) or not ok_type:
        raise ValueError(f"{name} must be {noun}, got {_shown(value)}")
    assert isinstance(value, int | float)
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} must be {noun} from {_num(low)} to {_num(high)}, got {value!r}")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."
