"""Lossless JSON snapshots of a world: everything, including the agenda and the RNG.

A small tagged codec: dataclasses, enums, datetimes, deques, sets and int-keyed dicts are
written as tagged objects and read back into the same types. ``restore(snapshot(w))``
gives a world that behaves exactly like ``w`` from then on (a Hypothesis property checks it),
which is what ``--state FILE``, ``/_sim/snapshot`` and ``/_sim/reset`` rely on.

A snapshot read back is checked whole before it is used: every value against the type its
dataclass field declares, numbers against the ranges the domain relies on. A hand-edited or
damaged file is then refused at once with one line naming the field (``config.max_body_bytes
must be …``, ``locks[123].device.battery must be …``), instead of starting a world that
fails much later with a traceback far from the cause.
"""

from __future__ import annotations

import dataclasses
import math
import pickle
import types
import typing
from collections import deque
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from nuki_sim.simulator.domain import (
    account_store,
    account_users,
    addresses,
    advanced,
    api_keys,
    codes,
    config,
    device_config,
    devices,
    events,
    inputs,
    model,
    notifications,
    outbox,
    scheduler,
    sync,
    webhooks,
    world,
)
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.errors import BadParameter

FORMAT = "nuki-sim/1"
_SCRATCH_START = datetime(2000, 1, 1, tzinfo=UTC)
MAX_DEPTH = 40
"""A real snapshot nests about a dozen levels; anything deeper is damage (and would
otherwise end in a RecursionError)."""
MAX_INT = 2**63
LAST_YEAR = 9000  # later instants overflow as soon as a day is added to them

_TYPES: dict[str, type] = {}
for _module in (
    model, world, scheduler, config, sync, events, outbox, webhooks, account_users, api_keys,
    notifications, addresses, advanced, account_store, device_config,
):  # fmt: skip
    for _name in dir(_module):
        _value = getattr(_module, _name)
        if isinstance(_value, type) and dataclasses.is_dataclass(_value):
            _TYPES[_value.__name__] = _value
_ENUMS: dict[str, type[Enum]] = {
    name: value
    for name, value in vars(codes).items()
    if isinstance(value, type) and issubclass(value, Enum)
}
_HINTS: dict[type, dict[str, Any]] = {cls: typing.get_type_hints(cls) for cls in _TYPES.values()}
_REQUIRED: Any = object()


def _defaults(cls: type) -> dict[str, Any]:
    """Each field of ``cls`` with a maker of its default (or ``_REQUIRED``)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            out[f.name] = lambda value=f.default: value
        elif f.default_factory is not dataclasses.MISSING:
            out[f.name] = f.default_factory
        else:
            out[f.name] = _REQUIRED
    return out


_FIELDS: dict[type, dict[str, Any]] = {cls: _defaults(cls) for cls in _TYPES.values()}

STATE: dict[str, Any] = {
    "seed": int,
    "config": config.SimConfig,
    "now": datetime | None,
    "rng": tuple[int, tuple[int, ...], float | None],
    "counters": tuple[int, int, int],
    "accounts": dict[int, model.Account],
    "account_users": dict[int, model.AccountUser],
    "tokens": dict[str, model.ApiToken],
    "locks": dict[int, model.Lock],
    "service_links": dict[int, set[str]],
    "account_store": account_store.AccountStore,
    "api_keys": api_keys.ApiKeyBook,
    "notifications": notifications.NotificationBook,
    "addresses": addresses.AddressBook,
    "advanced": advanced.AdvancedBook,
    "agenda": list[tuple[datetime, int, world.Job]],
    "agenda_seq": int,
    "subscriptions": dict[int, webhooks.Subscription],
    "webhook_logs": dict[int, deque[webhooks.Attempt]],
    "webhook_counters": tuple[int, int],
}
"""What :meth:`World.state` holds, key by key, as the checks read it."""

RETIRED = frozenset({"sync_log"})
"""Parts older snapshots of the same format still carry and a world no longer keeps: read
past, so a ``--state`` file saved by an earlier release still starts."""

ADDED: dict[str, Any] = {
    "service_links": {},
    "api_keys": api_keys.ApiKeyBook(),
    "notifications": notifications.NotificationBook(),
    "addresses": addresses.AddressBook(),
    "advanced": advanced.AdvancedBook(),
    "account_store": account_store.AccountStore(),
}
"""Parts newer than some snapshots of the same format: a file without one gets it empty."""

RANGES: dict[tuple[type, str], tuple[float, float]] = {
    (model.Device, "battery"): (0, 100),
    (model.LockStatus, "battery_charge"): (0, 100),
    (model.Lock, "sync_minute"): (0, 24 * 60 - 1),
    (model.Device, "next_slot"): (1, MAX_INT),  # grows with every auth placed, never wraps
    (model.Schedule, "allowed_from_time"): (0, 24 * 60),
    (model.Schedule, "allowed_until_time"): (0, 24 * 60),
    (model.Schedule, "allowed_week_days"): (0, 127),
    (webhooks.Subscription, "failures"): (0, MAX_INT),
    (model.Account, "rights"): (0, 127),
    (account_store.Otp, "failures"): (0, MAX_INT),
}
"""Fields with a narrower range than their type: out of it, the domain fails later."""


class Damaged(ValueError):
    """A snapshot that is not usable; the message names the first bad field."""


class NotASnapshot(Damaged):
    """Data without the snapshot format marker (another file, another version)."""


def encode(value: Any) -> Any:
    if isinstance(value, Enum):
        return {"$enum": type(value).__name__, "v": value.value}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            "$dc": type(value).__name__,
            "f": {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    if isinstance(value, deque):
        return {"$deque": [encode(v) for v in value], "maxlen": value.maxlen}
    if isinstance(value, frozenset | set):
        return {
            "$set": sorted((encode(v) for v in value), key=repr),
            "frozen": isinstance(value, frozenset),
        }
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(f"cannot snapshot {type(value).__name__}")


def decode(value: Any, path: str = "state", depth: int = 0) -> Any:
    """The value ``encode`` wrote; :class:`Damaged` naming ``path`` for anything else."""
    if depth > MAX_DEPTH:
        raise Damaged(f"{path} is nested too deeply")
    if isinstance(value, list):
        return [decode(v, f"{path}[{i}]", depth + 1) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        if isinstance(value, float) and not math.isfinite(value):
            raise Damaged(f"{path} must be a finite number, got {value!r}")
        return value
    try:
        return _decode_tagged(value, path, depth + 1)
    except Damaged:
        raise
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise Damaged(f"{path}: {_why(exc)}") from None


def _decode_tagged(value: dict[str, Any], path: str, depth: int) -> Any:
    if "$enum" in value:
        enum = _ENUMS.get(value["$enum"]) if isinstance(value["$enum"], str) else None
        if enum is None:
            raise Damaged(f"{path}: unknown enum {value['$enum']!r}")
        return enum(value["v"])
    if "$dt" in value:
        at = datetime.fromisoformat(value["$dt"])
        if at.tzinfo is None:
            raise Damaged(f"{path} must be an instant with a UTC offset, got {value['$dt']!r}")
        return at
    if "$dc" in value:
        cls = _TYPES.get(value["$dc"]) if isinstance(value["$dc"], str) else None
        if cls is None:
            raise Damaged(f"{path}: unknown object type {value['$dc']!r}")
        raw = _mapping(value["f"], f"{path}")
        known = _FIELDS[cls]
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise Damaged(f"{path}.{unknown[0]} is not a field of {cls.__name__}")
        fields = {k: decode(v, f"{path}.{k}", depth) for k, v in raw.items()}
        for name, default in known.items():
            if name not in fields:
                # A field newer than the file: its default, if it has one (a file saved by
                # an earlier release still starts); a field without one is damage.
                if default is _REQUIRED:
                    raise Damaged(f"{path}.{name} is missing")
                fields[name] = default()
        for name, hint in _HINTS[cls].items():
            _check(fields[name], hint, f"{path}.{name}", depth)
            bounds = RANGES.get((cls, name))
            if bounds is not None and fields[name] is not None:
                _within(fields[name], bounds, f"{path}.{name}")
        try:
            return cls(**fields)
        except ValueError as exc:  # SimConfig's own checks name the field first
            raise Damaged(f"{path}.{exc}") from None
    if "$deque" in value:
        items = _list(value["$deque"], path)
        maxlen = value["maxlen"]
        if maxlen is not None and (not _is_int(maxlen) or maxlen < 0):
            raise Damaged(f"{path}.maxlen must be a non-negative integer or null")
        return deque((decode(v, f"{path}[{i}]", depth) for i, v in enumerate(items)), maxlen)
    if "$set" in value:
        members = _list(value["$set"], path)
        found = {decode(v, f"{path}[{i}]", depth) for i, v in enumerate(members)}
        return frozenset(found) if value["frozen"] else found
    if "$tuple" in value:
        items = _list(value["$tuple"], path)
        return tuple(_hashable(decode(v, f"{path}[{i}]", depth)) for i, v in enumerate(items))
    if "$dict" in value:
        pairs = _list(value["$dict"], path)
        out = {}
        for i, pair in enumerate(pairs):
            if not isinstance(pair, list) or len(pair) != 2:
                raise Damaged(f"{path}[{i}] must be a [key, value] pair")
            key = _hashable(decode(pair[0], f"{path}[{i}]", depth))
            out[key] = decode(pair[1], f"{path}[{key!r}]", depth)
        return out
    raise Damaged(f"{path}: unknown snapshot object with keys {sorted(value)[:5]}")


def _mapping(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Damaged(f"{path} must be an object, got {_kind(value)}")
    return value


def _list(value: object, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise Damaged(f"{path} must be a list, got {_kind(value)}")
    return value


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict | set):
        raise TypeError(f"{type(value).__name__} cannot be a key or set member")
    return value


# --- checking decoded values against the declared types --------------------------------------


def _check(value: Any, hint: Any, path: str, depth: int = 0) -> None:
    """Raise :class:`Damaged` naming ``path`` unless ``value`` is of type ``hint``."""
    if depth > MAX_DEPTH:
        raise Damaged(f"{path} is nested too deeply")
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return
    if origin is typing.Literal:
        if not any(type(value) is type(arm) and value == arm for arm in args):
            raise _WrongType(f"{path} must be one of {list(args)}, got {_kind(value)}")
        return
    if origin in (types.UnionType, typing.Union):
        problems = [_problem(value, arm, path, depth) for arm in args]
        if all(problems):
            # One arm has the right type but a bad value (an instant too far away): say that.
            bad_value = [p for p in problems if p is not None and not isinstance(p, _WrongType)]
            if bad_value:
                raise bad_value[0]
            raise _WrongType(f"{path} must be {_describe(hint)}, got {_kind(value)}")
        return
    if origin is None:
        _check_plain(value, hint, path)
        return
    if not isinstance(value, origin):
        raise _WrongType(f"{path} must be {_describe(hint)}, got {_kind(value)}")
    if origin is dict:
        for key, item in value.items():
            _check(key, args[0], f"{path} key {key!r}", depth + 1)
            _check(item, args[1], f"{path}[{key!r}]", depth + 1)
    elif origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            for i, item in enumerate(value):
                _check(item, args[0], f"{path}[{i}]", depth + 1)
        elif len(value) != len(args):
            raise Damaged(f"{path} must have {len(args)} items, got {len(value)}")
        else:
            for i, (item, arm) in enumerate(zip(value, args, strict=True)):
                _check(item, arm, f"{path}[{i}]", depth + 1)
    else:  # list, deque, set, frozenset
        for i, item in enumerate(value):
            _check(item, args[0], f"{path}[{i}]", depth + 1)


class _WrongType(Damaged):
    """A value of another type than declared (rather than a bad value of the right type)."""


def _problem(value: Any, hint: Any, path: str, depth: int) -> Damaged | None:
    try:
        _check(value, hint, path, depth)
    except Damaged as exc:
        return exc
    return None


def _check_plain(value: Any, hint: Any, path: str) -> None:
    if hint is None or hint is type(None):
        ok = value is None
    elif hint is float:
        ok = _is_int(value) or isinstance(value, float)
    elif hint is int:
        ok = _is_int(value)
    else:
        ok = isinstance(value, hint)
    if not ok:
        raise _WrongType(f"{path} must be {_describe(hint)}, got {_kind(value)}")
    if _is_int(value) and not -MAX_INT <= value <= MAX_INT:
        raise Damaged(f"{path} is out of range, got {value}")
    if isinstance(value, datetime) and value.year > LAST_YEAR and not _is_date_window(path):
        raise Damaged(f"{path} is too far in the future, got {value.isoformat()}")


def _is_date_window(path: str) -> bool:
    """An auth's date window: the API accepts any year (9999-12-31 is a common "forever") and
    the world only compares it, never adds to it, so the year bound does not apply."""
    return path.rsplit(".", 1)[-1] in ("allowed_from_date", "allowed_until_date")


def _within(value: Any, bounds: tuple[float, float], path: str) -> None:
    low, high = bounds
    if not low <= value <= high:
        raise Damaged(f"{path} must be from {low} to {high}, got {value!r}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _describe(hint: Any) -> str:
    if hint is int:
        return "an integer"
    if hint is float:
        return "a number"
    if hint is str:
        return "a string"
    if hint is bool:
        return "true or false"
    if hint is datetime:
        return "an instant"
    if hint is None or hint is type(None):
        return "null"
    if isinstance(hint, type):
        return f"a {hint.__name__}"
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        return " or ".join(_describe(arm) for arm in typing.get_args(hint))
    return f"a {getattr(origin, '__name__', str(hint))}"


def _kind(value: object) -> str:
    text = repr(value)
    shown = text if len(text) <= 40 else f"{text[:37]}..."
    return f"{type(value).__name__} {shown}"


def _why(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    return str(exc) or type(exc).__name__


# --- whole snapshots ---------------------------------------------------------------------------


def snapshot(w: world.World) -> dict[str, Any]:
    """Everything that makes up ``w``, as JSON-compatible data."""
    return {
        "format": FORMAT,
        "state": encode(w.state()),
    }


def check(data: object) -> dict[str, Any]:
    """The world state a snapshot describes, checked whole; :class:`Damaged` if it is not one."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else None
        detail = f", found {found!r}" if found is not None else ""
        raise NotASnapshot(f"not a nuki-sim snapshot (expected format {FORMAT!r}{detail})")
    try:  # a lone surrogate would make every later read of the world fail
        inputs.check_text(data, "snapshot")
    except BadParameter as exc:
        raise Damaged(exc.message) from None
    tagged = _mapping(data.get("state"), "state")
    pairs = _list(tagged.get("$dict"), "state.$dict")
    if not all(isinstance(p, list) and len(p) == 2 and isinstance(p[0], str) for p in pairs):
        raise Damaged("state must be a table of named parts")
    raw = {key: value for key, value in pairs if key not in RETIRED}
    for key, empty in ADDED.items():
        raw.setdefault(key, encode(empty))
    missing = sorted(set(STATE) - set(raw))
    if missing:
        raise Damaged(f"{missing[0]} is missing")
    unknown = sorted(set(raw) - set(STATE))
    if unknown:
        raise Damaged(f"{unknown[0]} is not part of a world")
    try:
        state = {key: decode(raw[key], key) for key in STATE}
        for key, hint in STATE.items():
            _check(state[key], hint, key)
        _check_keys(state)
        # Load into a scratch world: what the types cannot say (the RNG's inner state) fails
        # here instead of halfway through loading the real world.
        world.World(VirtualClock(_SCRATCH_START)).load(state)
    except Damaged:
        raise
    except RecursionError:
        raise Damaged("the state is nested too deeply") from None
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise Damaged(f"the state is damaged: {_why(exc)}") from None
    return state


def _check_keys(state: dict[str, Any]) -> None:
    """Tables are keyed by their rows' own ids; the domain looks rows up by those keys."""
    for table, ident in (
        ("accounts", "account_id"),
        ("account_users", "account_user_id"),
        ("tokens", "token"),
        ("locks", "smartlock_id"),
        ("subscriptions", "id"),
    ):
        for key, row in state[table].items():
            if getattr(row, ident) != key:
                raise Damaged(f"{table}[{key!r}].{ident} does not match its key")
    for lock_id, lock in state["locks"].items():
        if lock.account_id not in state["accounts"]:
            raise Damaged(f"locks[{lock_id}].account_id {lock.account_id} is no account")
        if lock.model not in devices.MODELS:
            raise Damaged(f"locks[{lock_id}].model {lock.model!r:.40} is no device model")
        if lock.device.keypad_model not in devices.KEYPADS:
            raise Damaged(f"locks[{lock_id}].device.keypad_model is no keypad model")
        for i, command in enumerate(lock.cloud.queue):
            if isinstance(command, model.WriteConfig):
                problem = device_config.damaged(command.part, command.values)
                if problem:
                    raise Damaged(f"locks[{lock_id}].cloud.queue[{i}].{problem}")
    for account_id in state["service_links"]:
        if account_id not in state["accounts"]:
            raise Damaged(f"service_links[{account_id}] is no account")
    for token, api_token in state["tokens"].items():
        if api_token.account_id not in state["accounts"]:
            raise Damaged(f"tokens[{token!r}].account_id {api_token.account_id} is no account")
    for account_id, account in state["accounts"].items():
        master = account.master_account_id
        if master is not None and (master not in state["accounts"] or master == account_id):
            raise Damaged(f"accounts[{account_id}].master_account_id {master} is no other account")
    for account_id in state["account_store"].extras:
        if account_id not in state["accounts"]:
            raise Damaged(f"account_store.extras[{account_id}] is no account")
    _check_api_keys(state["api_keys"], state["accounts"])
    _check_notifications(state)
    _check_addresses(state["addresses"], state["accounts"], state["locks"])
    _check_advanced(state["advanced"], state["accounts"])


def _check_notifications(state: dict[str, Any]) -> None:
    """Notifications name their account and, per setting, a lock of the world."""
    for key, note in state["notifications"].items.items():
        where = f"notifications[{key!r}]"
        if note.notification_id != key:
            raise Damaged(f"{where}.notification_id does not match its key")
        if note.account_id not in state["accounts"]:
            raise Damaged(f"{where}.account_id {note.account_id} is no account")
        for setting in note.settings:
            if setting.smartlock_id is not None and setting.smartlock_id not in state["locks"]:
                raise Damaged(f"{where} has a setting for {setting.smartlock_id}, no lock")


def _check_api_keys(book: api_keys.ApiKeyBook, accounts: dict[int, Any]) -> None:
    """API keys name accounts; key tokens and advanced keys name a key of their account (a
    key token whose bearer token is gone is tolerated: the calls skip it)."""
    for table, ident in (("keys", "api_key_id"), ("tokens", "id"), ("advanced", "api_key_id")):
        for key, row in getattr(book, table).items():
            if getattr(row, ident) != key:
                raise Damaged(f"api_keys.{table}[{key!r}].{ident} does not match its key")
            if row.account_id not in accounts:
                raise Damaged(
                    f"api_keys.{table}[{key!r}].account_id {row.account_id} is no account"
                )
    for table in ("tokens", "advanced"):
        for key, row in getattr(book, table).items():
            owner = book.keys.get(row.api_key_id)
            if owner is None or owner.account_id != row.account_id:
                raise Damaged(f"api_keys.{table}[{key!r}].api_key_id {row.api_key_id} is no key")


def _check_addresses(
    book: addresses.AddressBook, accounts: dict[int, Any], locks: dict[int, Any]
) -> None:
    """Rows keyed by their ids; every row's address, account and lock exist."""
    for table, ident in (
        ("addresses", "address_id"),
        ("units", "id"),
        ("tokens", "id"),
        ("reservations", "id"),
    ):
        for key, row in getattr(book, table).items():
            if getattr(row, ident) != key:
                raise Damaged(f"addresses.{table}[{key!r}].{ident} does not match its key")
            if table != "addresses" and row.address_id not in book.addresses:
                raise Damaged(f"addresses.{table}[{key!r}].address_id is no address")
    for key, address in book.addresses.items():
        if address.account_id not in accounts:
            raise Damaged(f"addresses.addresses[{key}].account_id is no account")
        if key >= book.next_id:
            raise Damaged(f"addresses.next_id must be above every address id, got {book.next_id}")
        for lock_id in address.smartlock_ids:
            if lock_id not in locks:
                raise Damaged(f"addresses.addresses[{key}].smartlock_ids: {lock_id} is no lock")
    for key, res in book.reservations.items():
        for grant in res.grants:
            if grant.smartlock_id not in locks:
                raise Damaged(f"addresses.reservations[{key!r}] names lock {grant.smartlock_id}")


def _check_advanced(book: advanced.AdvancedBook, accounts: dict[int, Any]) -> None:
    """Open Advanced API requests and shared keys: keyed by their ids, of known accounts."""
    for request_id, request in book.requests.items():
        if request.request_id != request_id:
            raise Damaged(f"advanced.requests[{request_id!r}].request_id does not match its key")
        if request.account_id not in accounts:
            raise Damaged(f"advanced.requests[{request_id!r}].account_id is no account")
    for auth_id, key in book.shared_keys.items():
        if key.account_id not in accounts:
            raise Damaged(f"advanced.shared_keys[{auth_id!r}].account_id is no account")


def checked(data: object) -> dict[str, Any]:
    """:func:`check`, refusing anything that is not a snapshot as a Nuki-shaped 400."""
    try:
        return check(data)
    except NotASnapshot as exc:
        raise BadParameter(str(exc)) from None
    except Damaged as exc:
        raise BadParameter(f"the snapshot is damaged: {exc}") from None


def restore(w: world.World, data: object) -> None:
    """Replace ``w``'s state with a snapshot's; refuse anything that is not one (400)."""
    w.load(checked(data))


class Kept:
    """A snapshot checked and decoded once, to restore many times (``/_sim/reset``).

    Checking and decoding the JSON costs some milliseconds, and the conformance kit resets
    before every scenario. The checked state is kept pickled: each :meth:`restore` loads a
    fresh copy, the same values, types, order and sharing a full :func:`restore` builds
    (the world mutates what it loads, so it never gets the same objects twice). ``data``
    is not to be changed in place afterwards.
    """

    def __init__(self, data: object) -> None:
        self.data = data
        self._state = pickle.dumps(checked(data), protocol=pickle.HIGHEST_PROTOCOL)

    def restore(self, w: world.World) -> None:
        w.load(pickle.loads(self._state))
