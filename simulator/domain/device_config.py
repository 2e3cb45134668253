"""A lock's configuration as values: what the device holds and what the cloud last learned.

``Smartlock.Config``, ``Smartlock.AdvancedConfig``, ``Smartlock.OpenerAdvancedConfig`` and
``Smartlock.SmartdoorAdvancedConfig`` (Swagger 4.18.0) are frozen dataclasses whose fields
are Nuki's names in snake case (:func:`camel` gives Nuki's name back, so the wire encoder and
the body parser share one spelling). A write reaches the lock as a command of changed fields
(:class:`~nuki_sim.simulator.domain.model.WriteConfig`) merged into the device's value with
:func:`merged`; the cloud's copy takes the device's value when the device has applied it.
The web config is the cloud's own (mail warnings, dismissed hints): no device involved.

The name, position and time zone shown in ``config`` stay where they always lived (the lock's
master data and the device's zone); a config write changes them when the device applies it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

INT32_MAX = 2**31 - 1

LOCK_KEYS = ("name", "latitude", "longitude", "timezone_id")
"""Fields of a ``Smartlock.Config`` write kept on the lock itself rather than in settings."""


@dataclass(frozen=True)
class LockSettings:
    """``Smartlock.Config``'s settings (besides name, position and time zone)."""

    auto_unlatch: bool = False
    lift_up_handle: bool = False
    pairing_enabled: bool = True
    button_enabled: bool = True
    led_enabled: bool = True
    led_brightness: int = 3
    timezone_offset: int = 0
    daylight_saving_mode: int = 0
    single_lock: bool = False
    advertising_mode: int = 0
    homekit_state: int = 0
    matter_state: int = 0


@dataclass(frozen=True)
class AdvancedConfig:
    """``Smartlock.AdvancedConfig`` of a smart lock (``total_degrees`` is read-only)."""

    total_degrees: int = 900
    locked_position_offset_degrees: int = -90
    single_locked_position_offset_degrees: int = -180
    unlocked_position_offset_degrees: int = 90
    unlocked_to_locked_transition_offset_degrees: int = 0
    lng_timeout: int = 20
    single_button_press_action: int = 1
    double_button_press_action: int = 5
    detached_cylinder: bool = False
    battery_type: int = 2
    automatic_battery_type_detection: bool = True
    unlatch_duration: int = 3
    auto_lock: bool = False
    auto_lock_timeout: int = 0
    auto_update_enabled: bool = True
    motor_speed: int = 0
    enable_slow_speed_during_nightmode: bool = True


@dataclass(frozen=True)
class OpenerAdvancedConfig:
    """``Smartlock.OpenerAdvancedConfig`` (intercom id and bus mode switch are read-only)."""

    intercom_id: int = 0
    bus_mode_switch: int = 0
    short_circuit_duration: int = 0
    electric_strike_delay: int = 0
    random_electric_strike_delay: bool = False
    electric_strike_duration: int = 3000
    disable_rto_after_ring: bool = True
    rto_timeout: int = 20
    doorbell_suppression: int = 0
    doorbell_suppression_duration: int = 500
    sound_ring: int = 1
    sound_open: int = 1
    sound_rto: int = 1
    sound_cm: int = 1
    sound_confirmation: int = 1
    sound_level: int = 255
    single_button_press_action: int = 1
    double_button_press_action: int = 4
    battery_type: int = 0
    automatic_battery_type_detection: bool = True
    auto_update_enabled: bool = True


@dataclass(frozen=True)
class SmartdoorAdvancedConfig:
    """``Smartlock.SmartdoorAdvancedConfig`` (supported battery types are read-only)."""

    lng_timeout: int = 20
    single_button_press_action: int = 1
    double_button_press_action: int = 4
    automatic_battery_type_detection: bool = True
    unlatch_duration: int = 3
    buzzer_volume: int = 2
    supported_battery_types: tuple[int, ...] = (0, 1, 2)
    battery_type: int = 0
    auto_lock_timeout: int = 0
    auto_lock: bool = False


@dataclass(frozen=True)
class DeviceConfig:
    """Everything a lock holds as configuration: one value, so the device and the cloud's
    copy each keep one and "the cloud learned it" is one assignment.

    ``admin_pin`` is None until a PIN is written through the API: the lock was given one at
    setup (its state is "ok") that the simulator does not know.
    """

    settings: LockSettings = field(default_factory=LockSettings)
    advanced: AdvancedConfig = field(default_factory=AdvancedConfig)
    opener: OpenerAdvancedConfig = field(default_factory=OpenerAdvancedConfig)
    smartdoor: SmartdoorAdvancedConfig = field(default_factory=SmartdoorAdvancedConfig)
    admin_pin: int | None = None


@dataclass(frozen=True)
class WebConfig:
    """``Smartlock.WebConfig``: the cloud's own settings for a lock (no device involved)."""

    battery_warning_per_mail_enabled: bool = True
    dismissed_lift_up_handle_warning: tuple[int, ...] = ()


PARTS = ("settings", "advanced", "opener", "smartdoor", "admin_pin")
"""What one config write changes (the ``part`` of a ``WriteConfig`` command)."""


# --- the writable fields: Nuki's name, kind, allowed values, whether a write needs it -----


@dataclass(frozen=True)
class Setting:
    """One writable field: ``kind`` bool, int, float or str; ``allowed`` a tuple of values or
    an inclusive (low, high) range for numbers (``choices`` says which)."""

    key: str
    kind: type
    low: float = 0
    high: float = INT32_MAX
    choices: tuple[int, ...] = ()
    required: bool = False

    @property
    def attr(self) -> str:
        return snake(self.key)


def _b(key: str, required: bool = False) -> Setting:
    return Setting(key, bool, required=required)


def _i(key: str, low: int = 0, high: int = INT32_MAX, *, required: bool = False) -> Setting:
    return Setting(key, int, low, high, required=required)


def _one_of(key: str, *choices: int, required: bool = False) -> Setting:
    return Setting(key, int, choices=choices, required=required)


LNG = (5, 10, 15, 20, 30, 45, 60)
UNLATCH = (1, 3, 5, 7, 10, 15, 20, 30)
OFFSET_LOW = -INT32_MAX - 1

WRITABLE: dict[str, tuple[Setting, ...]] = {
    "settings": (
        Setting("name", str, required=True),
        Setting("latitude", float, -90, 90, required=True),
        Setting("longitude", float, -180, 180, required=True),
        _one_of("timezoneId", *range(46), 65535, required=True),
        _i("timezoneOffset", -720, 840, required=True),
        _b("singleLock", required=True),
        _i("advertisingMode", 0, 3, required=True),
        _b("autoUnlatch"),
        _b("liftUpHandle"),
        _b("pairingEnabled"),
        _b("buttonEnabled"),
        _b("ledEnabled"),
        _i("ledBrightness", 0, 5),
        _i("daylightSavingMode", 0, 1),
        _i("homekitState", 0, 3),
        _i("matterState", 0, 4),
    ),
    "advanced": (
        _i("batteryType", 0, 2, required=True),
        _i("lockedPositionOffsetDegrees", OFFSET_LOW, required=True),
        _i("singleLockedPositionOffsetDegrees", OFFSET_LOW, required=True),
        _i("unlockedPositionOffsetDegrees", OFFSET_LOW, required=True),
        _i("unlockedToLockedTransitionOffsetDegrees", OFFSET_LOW),
        _one_of("lngTimeout", *LNG),
        _i("singleButtonPressAction", 0, 6),
        _i("doubleButtonPressAction", 0, 6),
        _b("automaticBatteryTypeDetection"),
        _one_of("unlatchDuration", *UNLATCH),
        _b("detachedCylinder"),
        _b("autoLock"),
        _i("autoLockTimeout"),
        _b("autoUpdateEnabled"),
        _i("motorSpeed", 0, 2),
        _b("enableSlowSpeedDuringNightmode"),
    ),
    "opener": (
        _i("shortCircuitDuration", required=True),
        _i("electricStrikeDelay", required=True),
        _b("randomElectricStrikeDelay", required=True),
        _i("electricStrikeDuration", required=True),
        _b("disableRtoAfterRing", required=True),
        _i("rtoTimeout", required=True),
        _i("doorbellSuppression", 0, 7, required=True),
        _i("doorbellSuppressionDuration", required=True),
        _i("soundRing", 0, 3, required=True),
        _i("soundOpen", 0, 3, required=True),
        _i("soundRto", 0, 3, required=True),
        _i("soundCm", 0, 3, required=True),
        _i("soundConfirmation", 0, 1, required=True),
        _i("soundLevel", 0, 255, required=True),
        _i("singleButtonPressAction", 0, 7, required=True),
        _i("doubleButtonPressAction", 0, 7, required=True),
        _i("batteryType", 0, 3, required=True),
        _b("automaticBatteryTypeDetection"),
        _b("autoUpdateEnabled"),
    ),
    "smartdoor": (
        _b("autoLock", required=True),
        _one_of("batteryType", 0, 1, 2, 3, 255, required=True),
        _one_of("lngTimeout", *LNG),
        _i("singleButtonPressAction", 0, 6),
        _i("doubleButtonPressAction", 0, 6),
        _b("automaticBatteryTypeDetection"),
        _one_of("unlatchDuration", *UNLATCH),
        _one_of("buzzerVolume", 0, 1, 2),
        _i("autoLockTimeout"),
    ),
    "admin_pin": (_i("adminPin", 0, 9999, required=True),),
}
"""Per part, the fields a write may set. Read-only fields (``totalDegrees``, ``intercomId``,
``fobPaired`` …) are not here: a body that carries them (a client posting back what it read)
is not refused, the values are ignored."""

AUTO_LOCK_MIN = 2
"""Firmware ≥ 2.7.8 relocks no sooner than 2 s after an unlock: with ``autoLock`` on, a
smaller ``autoLockTimeout`` is taken as 2 (the Swagger's description)."""


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def snake(key: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in key)


def as_json(value: Any) -> dict[str, Any]:
    """A config dataclass as Nuki's JSON object (tuples become lists)."""
    return {
        camel(f.name): list(v) if isinstance(v := getattr(value, f.name), tuple) else v
        for f in dataclasses.fields(value)
    }


Values = tuple[tuple[str, bool | int | float | str], ...]
"""Changed fields of one part, by attribute name, as a command carries them."""


def merged(config: DeviceConfig, part: str, values: Values) -> DeviceConfig:
    """``config`` with one part's fields changed (``admin_pin``: the PIN)."""
    changes = {k: v for k, v in values if k not in LOCK_KEYS}
    if part == "admin_pin":
        pin = changes.get("admin_pin")
        return dataclasses.replace(config, admin_pin=int(pin) if pin is not None else None)
    current = getattr(config, part)
    updated = dataclasses.replace(current, **changes)
    if part == "advanced" and updated.auto_lock and updated.auto_lock_timeout < AUTO_LOCK_MIN:
        updated = dataclasses.replace(updated, auto_lock_timeout=AUTO_LOCK_MIN)
    return dataclasses.replace(config, **{part: updated})


def damaged(part: str, values: Values) -> str | None:
    """What is wrong with a write read back from a snapshot (None: nothing): a part or a
    field no body writes, or a value of another kind, would fail only when it is applied."""
    if part not in WRITABLE:
        return f"part {part!r} is not a config part"
    kinds = {s.attr: s.kind for s in WRITABLE[part]}
    for attr, value in values:
        kind = kinds.get(attr)
        if kind is None:
            return f"values: {attr} is not written by a {part} write"
        number = kind is float and isinstance(value, int | float) and not isinstance(value, bool)
        if not number and (
            isinstance(value, bool) != (kind is bool) or not isinstance(value, kind)
        ):
            return f"values: {attr} must be {'an integer' if kind is int else kind.__name__}"
    return None


def web_merged(web: WebConfig, mail: bool | None, dismissed: tuple[int, ...] | None) -> WebConfig:
    """A web config write: an omitted (or null) field keeps its value (Nuki's rule)."""
    return WebConfig(
        web.battery_warning_per_mail_enabled if mail is None else mail,
        web.dismissed_lift_up_handle_warning if dismissed is None else dismissed,
    )


# --- what the API hands the domain (parsed bodies) ------------------------------------------


@dataclass(frozen=True)
class ConfigWrite:
    """A checked config body: the part it writes and the fields it sets."""

    part: str
    values: Values


@dataclass(frozen=True)
class WebConfigWrite:
    """A checked ``Smartlock.WebConfig`` body; None: the field was omitted (or null)."""

    battery_warning_per_mail_enabled: bool | None = None
    dismissed_lift_up_handle_warning: tuple[int, ...] | None = None
