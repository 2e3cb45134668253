"""The simulator's knobs, with defaults that follow the real system."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


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
    max_keypad_codes: int = 100
    """Keypad codes one lock holds (Keypad 1: 100; Keypad 2 locks take 200)."""
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

    def replace(self, **changes: Any) -> SimConfig:
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return SimConfig(**values)
