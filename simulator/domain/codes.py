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
