"""Nuki's integer enums, named. Values are from Nuki's Swagger (fact sheet §4)."""

from __future__ import annotations

from enum import IntEnum


class ServerState(IntEnum):
    OK = 0
    UNREGISTERED = 1
    AUTH_UUID_INVALID = 2
    AUTH_INVALID = 3
    OFFLINE = 4


class LockState(IntEnum):
    UNCALIBRATED = 0
    LOCKED = 1
    UNLOCKING = 2
    UNLOCKED = 3
    LOCKING = 4
    UNLATCHED = 5
    UNLOCKED_LOCK_N_GO = 6
    UNLATCHING = 7
    MOTOR_BLOCKED = 254
    UNDEFINED = 255


class LockMode(IntEnum):
    UNINITIALIZED = 0
    PAIRING = 1
    DOOR = 2
    CONTINUOUS = 3  # an opener's continuous mode


class Action(IntEnum):
    """``SmartlockAction.action`` for smart locks (types 0/3/4/5)."""

    UNLOCK = 1
    LOCK = 2
    UNLATCH = 3
    LOCK_N_GO = 4
    LOCK_N_GO_UNLATCH = 5


class StateTrigger(IntEnum):
    """``Smartlock.State.trigger``: what caused the current state."""

    SYSTEM = 0
    MANUAL = 1
    BUTTON = 2
    AUTOMATIC = 3
    WEB = 4
    APP = 5


class LogTrigger(IntEnum):
    """``SmartlockLog.trigger``."""

    SYSTEM = 0
    MANUAL = 1
    BUTTON = 2
    AUTOMATIC = 3
    WEB = 4
    APP = 5
    AUTO_LOCK = 6
    ACCESSORY = 7
    KEYPAD_ERROR = 253
    NUKI_MODE = 254
    KEYPAD = 255


class LogState(IntEnum):
    """``SmartlockLog.state``: how the logged action completed."""

    SUCCESS = 0
    MOTOR_BLOCKED = 1
    CANCELED = 2
    TOO_RECENT = 3
    BUSY = 4
    REJECTED = 9
    INVALID_CODE = 224
    OTHER_ERROR = 254


class LogSource(IntEnum):
    DEFAULT = 0
    KEYPAD_CODE = 1


class AuthType(IntEnum):
    APP = 0
    BRIDGE = 1
    FOB = 2
    KEYPAD = 3
    KEYPAD_CODE = 13


class DoorState(IntEnum):
    UNAVAILABLE = 0
    DEACTIVATED = 1
    CLOSED = 2
    OPENED = 3


SCOPES = frozenset(
    {
        "account",
        "notification",
        "smartlock",
        "smartlock.readOnly",
        "smartlock.action",
        "smartlock.auth",
        "smartlock.config",
        "smartlock.log",
        "webhook.decentral",
    }
)

# Nuki's ``config.timezoneId``: an index into this fixed list of IANA zones (Nuki's
# Bluetooth API table). A lock in a zone outside the list reports 65535 ("none") and keeps
# its IANA name in the simulator, which is what schedules are evaluated in.
TIMEZONE_IDS: tuple[str, ...] = (
    "Africa/Cairo", "Africa/Lagos", "Africa/Maputo", "Africa/Nairobi", "America/Anchorage",
    "America/Argentina/Buenos_Aires", "America/Chicago", "America/Denver", "America/Halifax",
    "America/Los_Angeles", "America/Manaus", "America/Mexico_City", "America/New_York",
    "America/Phoenix", "America/Regina", "America/Santiago", "America/Sao_Paulo",
    "America/St_Johns", "Asia/Bangkok", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jerusalem",
    "Asia/Karachi", "Asia/Kathmandu", "Asia/Kolkata", "Asia/Riyadh", "Asia/Seoul",
    "Asia/Shanghai", "Asia/Tehran", "Asia/Tokyo", "Asia/Yangon", "Australia/Adelaide",
    "Australia/Brisbane", "Australia/Darwin", "Australia/Hobart", "Australia/Perth",
    "Australia/Sydney", "Europe/Berlin", "Europe/Helsinki", "Europe/Istanbul", "Europe/London",
    "Europe/Moscow", "Pacific/Auckland", "Pacific/Guam", "Pacific/Honolulu", "Pacific/Pago_Pago",
)  # fmt: skip
TIMEZONE_NONE = 65535


def timezone_id(iana: str) -> int:
    """Nuki's ``timezoneId`` for an IANA zone name (65535 when Nuki's list lacks it)."""
    try:
        return TIMEZONE_IDS.index(iana)
    except ValueError:
        return TIMEZONE_NONE


# --- what each value means, as the OpenAPI document spells it out -------------------------

DEVICE_TYPES = {
    0: "Smart Lock 1.0/2.0 (keyturner)",
    1: "Box",
    2: "Opener",
    3: "Smart Door",
    4: "Smart Lock 3.0/4.0",
    5: "Smart Lock 5th generation / Ultra",
}
AUTH_TYPES = {
    0: "app",
    1: "bridge",
    2: "fob",
    3: "keypad (the device itself)",
    13: "keypad code",
    14: "Z-key",
    15: "virtual",
}
LOCK_ACTIONS = {
    1: "unlock",
    2: "lock",
    3: "unlatch",
    4: "lock 'n' go",
    5: "lock 'n' go with unlatch",
}
BUTTON_ACTIONS = {
    0: "none",
    1: "intelligent",
    2: "unlock",
    3: "lock",
    4: "unlatch",
    5: "lock 'n' go",
    6: "show status",
}
LOG_ACTIONS = {
    **LOCK_ACTIONS,
    11: "restore to factory defaults",
    208: "door warning: ajar",
    209: "door warning: status mismatch",
    224: "doorbell recognition (Opener)",
    240: "door opened",
    241: "door closed",
    242: "door sensor jammed",
    243: "firmware update",
    250: "door log enabled",
    251: "door log disabled",
    252: "initialization",
    253: "calibration",
    254: "log enabled",
    255: "log disabled",
}
LOCK_MODES = {
    0: "uninitialized",
    1: "pairing",
    2: "door (normal operation)",
    3: "continuous (Opener only)",
    4: "maintenance",
    5: "off-door charging",
}
LOCK_STATES = {
    0: "uncalibrated",
    1: "locked",
    2: "unlocking",
    3: "unlocked",
    4: "locking",
    5: "unlatched",
    6: "unlocked (lock 'n' go)",
    7: "unlatching",
    224: "error: wrong entry code",
    225: "error: wrong fingerprint",
    254: "motor blocked",
    255: "undefined",
}
STATE_TRIGGERS = {
    0: "system",
    1: "manual",
    2: "button",
    3: "automatic",
    4: "web (Box only)",
    5: "app (Box only)",
    6: "continuous mode (Opener)",
    7: "accessory (Smart Door)",
}
DOOR_STATES = {
    0: "unavailable (no door sensor paired)",
    1: "deactivated",
    2: "door closed",
    3: "door opened",
    4: "unknown",
    5: "calibrating",
    16: "uncalibrated",
    240: "removed",
    255: "unknown",
}
SERVER_STATES = {
    0: "ok",
    1: "unregistered",
    2: "auth UUID invalid",
    3: "auth invalid",
    4: "offline",
}
LOG_TRIGGERS = {
    0: "system",
    1: "manual",
    2: "button",
    3: "automatic",
    4: "web",
    5: "app",
    6: "auto lock",
    7: "accessory",
    253: "keypad error",
    254: "Nuki mode",
    255: "keypad",
}
LOG_STATES = {
    0: "success",
    1: "motor blocked",
    2: "canceled",
    3: "too recent",
    4: "busy",
    5: "low motor voltage",
    6: "clutch failure",
    7: "motor power failure",
    8: "incomplete",
    9: "rejected",
    10: "rejected (night mode)",
    224: "invalid code",
    225: "invalid fingerprint",
    226: "invalid NFC tag",
    254: "other error",
    255: "unknown error",
}
LOG_SOURCES = {0: "default", 1: "keypad code", 2: "fingerprint", 3: "tap to unlock"}
ACCOUNT_TYPES = {0: "user", 1: "company", 2: "caretaker"}
ADMIN_PIN_STATES = {0: "ok", 1: "missing", 2: "invalid"}
ADVERTISING_MODES = {0: "automatic", 1: "normal", 2: "slow", 3: "slowest"}
BATTERY_TYPES = {0: "alkali", 1: "accumulator", 2: "lithium"}
MOTOR_SPEEDS = {0: "standard", 1: "fast", 2: "slow"}
