"""The simulated world's values.

Authorizations, log entries, commands and lock status are frozen values; a change is a new
value. The only mutable containers are :class:`Device` (what is really on the lock),
:class:`CloudCopy` (what Nuki Web last learned) and the :class:`Lock` that pairs them, all
owned by the :class:`~nuki_sim.simulator.domain.world.World`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

from nuki_sim.simulator.domain.codes import AuthType, DoorState, LockMode, LockState, StateTrigger
from nuki_sim.simulator.domain.device_config import DeviceConfig, Values, WebConfig

V = TypeVar("V")
_FIELDS: dict[type, tuple[str, ...]] = {}
_new = object.__new__


def evolve(value: V, **changes: Any) -> V:
    """A copy of the frozen dataclass ``value`` with ``changes``: ``dataclasses.replace`` at a
    third of its cost, for the values a lock changes on every command it applies. It copies
    the fields as they are (the values here have no ``__post_init__``), and nothing else: a
    cache kept on the old value (its encoded JSON) is not carried over."""
    cls = type(value)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
    src = value.__dict__
    copied = {name: src[name] for name in names}
    for name in changes:
        if name not in copied:
            raise TypeError(f"{cls.__name__} has no field {name!r}")
    copied.update(changes)
    new = _new(cls)
    new.__dict__.update(copied)
    return new


@dataclass(frozen=True)
class Account:
    account_id: int
    email: str
    name: str
    language: str
    creation_date: datetime
    type: int = 0  # 0 user, 1 company, 2 caretaker
    # Newer than some snapshots: a file without them loads them as these defaults.
    update_date: datetime | None = None  # None: never updated (the creation date is reported)
    master_account_id: int | None = None  # set on a sub account: the account that made it
    rights: int = 0  # a sub account's rights bitmask (0 to 127)


@dataclass(frozen=True)
class AccountUser:
    """A Nuki Web user of an account (app authorizations point at one)."""

    account_user_id: int
    account_id: int
    email: str
    name: str
    language: str
    creation_date: datetime
    type: int = 0
    update_date: datetime | None = None  # None: never updated (the creation date is reported)
    operation_id: str | None = None  # set while an asynchronous delete is pending


@dataclass(frozen=True)
class ApiToken:
    """A Nuki Web API token: a secret string, the account it acts for, and its scopes."""

    token: str
    account_id: int
    scopes: frozenset[str]
    name: str = "API token"
    api_key_id: int = 0


@dataclass(frozen=True)
class Schedule:
    """The one schedule a code may have: a UTC date window and a weekly window, both optional.

    ``allowed_week_days`` is Nuki's bitmask (Monday 64 … Sunday 1; ``None`` = every day);
    ``allowed_from_time``/``allowed_until_time`` are minutes from midnight in the lock's own
    time zone, 0/0 meaning no daily window.
    """

    allowed_from_date: datetime | None = None
    allowed_until_date: datetime | None = None
    allowed_week_days: int | None = None
    allowed_from_time: int = 0
    allowed_until_time: int = 0


ALWAYS = Schedule()


@dataclass(frozen=True)
class Auth:
    """An authorization as stored on the lock (and, after a sync, in the cloud's copy)."""

    id: str  # 24-hex ObjectId, used in paths
    smartlock_id: int
    auth_id: int  # the slot on the device; 0 until the device assigns one
    type: AuthType
    name: str
    enabled: bool
    remote_allowed: bool
    creation_date: datetime
    update_date: datetime
    code: int | None = None
    schedule: Schedule = ALWAYS
    account_user_id: int | None = None
    lock_count: int = 0
    last_active_date: datetime | None = None
    smart_actions_enabled: bool = False


@dataclass(frozen=True)
class LogEntry:
    """One line of a lock's activity log."""

    id: str
    smartlock_id: int
    device_type: int
    name: str
    action: int
    trigger: int
    state: int
    date: datetime
    auth_id: str = ""
    account_user_id: int | None = None
    auto_unlock: bool = False
    source: int = 0


@dataclass(frozen=True)
class LockStatus:
    """``Smartlock.State`` as the device reports it."""

    state: LockState = LockState.LOCKED
    mode: LockMode = LockMode.DOOR
    trigger: StateTrigger = StateTrigger.SYSTEM
    last_action: int = 2
    battery_charge: int = 100
    battery_critical: bool = False
    battery_charging: bool = False
    keypad_battery_critical: bool = False
    door_state: DoorState = DoorState.DEACTIVATED
    night_mode: bool = False


# --- commands: what the cloud pushes to a device, in order -------------------------------


@dataclass(frozen=True)
class AuthChanges:
    """The fields an update sets. The schedule is replaced (Nuki's documented behaviour),
    except the :class:`Schedule` fields named in ``keep``, which keep the lock's values (the
    quirk partial-update-clears-times switched off)."""

    name: str | None
    enabled: bool | None
    remote_allowed: bool | None
    code: int | None
    schedule: Schedule
    account_user_id: int | None
    keep: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not self.keep <= SCHEDULE_FIELDS:  # a damaged snapshot, refused where it is read
            raise ValueError(f"keep must name fields of Schedule, got {sorted(self.keep)!r:.80}")


SCHEDULE_NAMES = (
    "allowed_from_date", "allowed_until_date", "allowed_week_days", "allowed_from_time",
    "allowed_until_time",
)  # fmt: skip
"""The fields of :class:`Schedule`, in Nuki's order (``keep`` names some of them)."""
SCHEDULE_FIELDS = frozenset(SCHEDULE_NAMES)


def merged(current: Schedule, changes: AuthChanges) -> Schedule:
    """The schedule an update leaves: ``changes.schedule`` with the ``keep`` fields of
    ``current``."""
    if not changes.keep:
        return changes.schedule
    kept = {name: getattr(current, name) for name in changes.keep}
    return evolve(changes.schedule, **kept)


@dataclass(frozen=True)
class CreateAuth:
    operation_id: str
    accepted_at: datetime
    auth: Auth


@dataclass(frozen=True)
class UpdateAuth:
    operation_id: str
    accepted_at: datetime
    auth_id: str
    changes: AuthChanges


@dataclass(frozen=True)
class DeleteAuth:
    operation_id: str
    accepted_at: datetime
    auth_id: str


@dataclass(frozen=True)
class LockAction:
    operation_id: str
    accepted_at: datetime
    action: int
    option: int
    who: str  # the name the activity log shows
    auth_id: str  # the authorization that acted (its ObjectId), as the log shows it


@dataclass(frozen=True)
class WriteConfig:
    """A config write for the device: one part (``device_config.PARTS``) and the fields it
    changes; the device merges them into what it holds when it applies the command."""

    operation_id: str
    accepted_at: datetime
    part: str
    values: Values


Command = CreateAuth | UpdateAuth | DeleteAuth | LockAction | WriteConfig


@dataclass(frozen=True)
class Outcome:
    """What the device made of one command: ``error`` is ``None`` when it succeeded."""

    command: Command
    at: datetime
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


# --- the two views of one lock -------------------------------------------------------------


@dataclass
class Device:
    """The truth on the lock: its authorizations, motor state, battery, keypad and log."""

    timezone: str
    keypad_paired: bool
    online: bool = True
    jammed: bool = False
    battery: float = 100.0  # exact charge; status.battery_charge is its rounded value
    status: LockStatus = field(default_factory=LockStatus)
    auths: dict[str, Auth] = field(default_factory=dict)
    log: deque[LogEntry] = field(default_factory=lambda: deque(maxlen=1000))
    unsent_logs: list[LogEntry] = field(default_factory=list)  # written while offline
    next_slot: int = 1
    motion_ends: datetime | None = None  # while the motor runs, another action is refused
    config: DeviceConfig = field(default_factory=DeviceConfig)
    # Which keypad is paired when keypad_paired (devices.KEYPADS: its capacity, keypad2Paired).
    keypad_model: str = "Keypad"


@dataclass
class CloudCopy:
    """What Nuki Web knows about one lock: reconciled from the device by a sync.

    ``auths`` is what ``GET /smartlock/{id}/auth`` lists. ``operations`` maps an auth id to the
    operation id of a command that is still waiting to reach the device (edits to it → 423).
    ``outcomes`` collects what the device reported about pushed commands until the next sync
    folds them into ``auths`` (a failed command leaves its record with ``error`` set).
    """

    status: LockStatus = field(default_factory=LockStatus)
    auths: dict[str, Auth] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    operations: dict[str, str] = field(default_factory=dict)
    queue: deque[Command] = field(default_factory=deque)
    # auth id → the pending update that swallowed a later one (the quirk rapid-update-lost).
    lost: dict[str, str] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)
    logs: list[LogEntry] = field(default_factory=list)  # oldest first
    last_sync: datetime | None = None
    config: DeviceConfig = field(default_factory=DeviceConfig)  # the device's, when applied
    web_config: WebConfig = field(default_factory=WebConfig)  # the cloud's own
    # Bumped by lifecycle (their only writer) on every change to auths, errors or operations:
    # a reader may keep what it derives from them (an encoded listing) while it is unchanged.
    version: int = field(default=0, compare=False, repr=False)


@dataclass
class Lock:
    """One smart lock: its master data, the device, and the cloud's copy of it."""

    smartlock_id: int
    account_id: int
    auth_id: int  # the Web API's own authorization slot on the device
    name: str
    device: Device
    cloud: CloudCopy
    creation_date: datetime
    update_date: datetime
    favorite: bool = False
    type: int = 4
    product_variant: int = 2  # 3.0 Pro
    firmware_version: int = 0x030904
    hardware_version: int = 0x0A02
    latitude: float = 52.52
    longitude: float = 13.405
    sync_minute: int = 180  # time of day (UTC minutes) of the daily auto sync
    api_auth_id: str = ""  # the ObjectId of the Web API's own authorization (in log entries)
    next_auto_sync: datetime | None = None
    # The device model (devices.MODELS); type, product_variant and the versions are its own,
    # copied when the lock is made. Older snapshots load as the one model there was.
    model: str = "Smart Lock 3.0 Pro"
