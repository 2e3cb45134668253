"""What the lock itself does with a command: the device-side truth checks and the motor.

Everything here acts on one :class:`~nuki_sim.simulator.domain.model.Device`. Checks the cloud could
not make (the device's real capacity, a duplicate code the cloud has not seen yet, a jammed
motor) are made here and come back as an :class:`~nuki_sim.simulator.domain.model.Outcome` with an
``error``: they fail asynchronously, as on the real system.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from nuki_sim.simulator.domain.codes import Action, AuthType, LockMode, LockState, StateTrigger
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.devices import OPENER, keypad_capacity
from nuki_sim.simulator.domain.model import (
    Command,
    CreateAuth,
    DeleteAuth,
    Device,
    LockAction,
    LockStatus,
    Outcome,
    UpdateAuth,
    evolve,
    merged,
)

# Device error texts: Nuki's device error names (fact sheet §6.5) with their hex codes.
ERR_CODE_EXISTS = "K_ERROR_CODE_ALREADY_EXISTS (0x2A): the keypad code already exists on the lock"
ERR_MAX_USER = "P_ERROR_MAX_USER (0x13): the lock holds the maximum number of keypad codes"
ERR_NOT_ON_DEVICE = "ERROR_UNKNOWN (0xFF): the authorization is not on the lock"
ERR_MOTOR_BLOCKED = "ERROR_MOTOR_BLOCKED: the motor is jammed"
ERR_BUSY = "K_ERROR_BUSY (0x45): the motor is still moving"


# All motor transitions live here: an action walks through these states in order; each
# step lasts the named setting (``None`` = the walk ends in that state).
Walk = tuple[tuple[LockState, str | None], ...]
MOTION: dict[int, Walk] = {
    Action.UNLOCK: ((LockState.UNLOCKING, "motor_seconds"), (LockState.UNLOCKED, None)),
    Action.LOCK: ((LockState.LOCKING, "motor_seconds"), (LockState.LOCKED, None)),
    Action.UNLATCH: (
        (LockState.UNLATCHING, "motor_seconds"),
        (LockState.UNLATCHED, "unlatch_seconds"),
        (LockState.UNLOCKED, None),
    ),
    Action.LOCK_N_GO: (
        (LockState.UNLOCKING, "motor_seconds"),
        (LockState.UNLOCKED_LOCK_N_GO, "lock_n_go_seconds"),
        (LockState.LOCKING, "motor_seconds"),
        (LockState.LOCKED, None),
    ),
    Action.LOCK_N_GO_UNLATCH: (
        (LockState.UNLATCHING, "motor_seconds"),
        (LockState.UNLATCHED, "lock_n_go_seconds"),
        (LockState.LOCKING, "motor_seconds"),
        (LockState.LOCKED, None),
    ),
}


# An opener's walks (its states share the integers: 1 online, 3 ring to open active,
# 7 opening, 5 open). Opening takes the motor's time, the door stays open unlatch_seconds.
OPENER_MOTION: dict[int, Walk] = {
    1: ((LockState.UNLOCKED, None),),
    2: ((LockState.LOCKED, None),),
    3: (
        (LockState.UNLATCHING, "motor_seconds"),
        (LockState.UNLATCHED, "unlatch_seconds"),
        (LockState.LOCKED, None),
    ),
    6: ((LockState.LOCKED, None),),
    7: ((LockState.LOCKED, None),),
}
OPENER_MODES = {6: LockMode.CONTINUOUS, 7: LockMode.DOOR}
"""The mode an opener's continuous-mode actions leave it in."""


def walks_for(device_type: int) -> dict[int, Walk]:
    """The state walks of a device type's actions (an opener's are its own)."""
    return OPENER_MOTION if device_type == OPENER else MOTION


_CODES = "_nuki_sim_codes"  # where a Device keeps its code index (not a field: never saved)


def keypad_codes(device: Device) -> dict[int, str]:
    """The device's keypad codes, code → auth id (read by every create the device gets).

    An index kept beside ``device.auths`` by the writers in this module, so a create costs
    no walk over the lock's codes; built on first use (a new or restored device) and again
    after :func:`forget_codes`. Callers read it and never change it.
    """
    return _codes(device)


def _codes(device: Device) -> dict[int, str]:
    cached: dict[int, str] | None = device.__dict__.get(_CODES)
    if cached is None:
        keypad = AuthType.KEYPAD_CODE  # looked up once: an enum member costs a class lookup
        cached = {
            a.code: a.id for a in device.auths.values() if a.type == keypad and a.code is not None
        }
        device.__dict__[_CODES] = cached
    return cached


def forget_codes(device: Device) -> None:
    """A writer of ``device.auths`` outside this module changed codes: rebuild the index."""
    device.__dict__.pop(_CODES, None)


def apply_auth(device: Device, command: Command, at: datetime, config: SimConfig) -> Outcome:
    """Apply a create/update/delete on the device, or say why the device refused it."""
    if isinstance(command, CreateAuth):
        auth = command.auth
        keypad = auth.type == AuthType.KEYPAD_CODE
        if keypad:
            codes = keypad_codes(device)
            if auth.code in codes:
                return Outcome(command, at, ERR_CODE_EXISTS)
            if len(codes) >= keypad_capacity(device.keypad_model, config.max_keypad_codes):
                return Outcome(command, at, ERR_MAX_USER)
        index = _codes(device)  # before the auth goes in: a fresh index would include it
        device.auths[auth.id] = evolve(auth, auth_id=device.next_slot, update_date=at)
        device.next_slot += 1
        if keypad and auth.code is not None:
            index[auth.code] = auth.id
        return Outcome(command, at)
    if isinstance(command, UpdateAuth):
        current = device.auths.get(command.auth_id)
        if current is None:
            return Outcome(command, at, ERR_NOT_ON_DEVICE)
        changes = command.changes
        if (
            changes.code is not None
            and keypad_codes(device).get(changes.code, current.id) != current.id
        ):
            return Outcome(command, at, ERR_CODE_EXISTS)
        updated: dict[str, Any] = {"schedule": merged(current.schedule, changes), "update_date": at}
        if changes.name is not None:
            updated["name"] = changes.name
        if changes.enabled is not None:
            updated["enabled"] = changes.enabled
        if changes.remote_allowed is not None:
            updated["remote_allowed"] = changes.remote_allowed
        if changes.account_user_id is not None:
            updated["account_user_id"] = changes.account_user_id
        if changes.code is not None and changes.code != current.code:
            updated["code"] = changes.code
            _recode(device, current.code, changes.code, current.id)
        device.auths[current.id] = evolve(current, **updated)
        return Outcome(command, at)
    if isinstance(command, DeleteAuth):
        gone = device.auths.pop(command.auth_id, None)  # deleting what is gone is no error
        if gone is not None and gone.code is not None:
            _recode(device, gone.code, None, gone.id)
        return Outcome(command, at)
    raise TypeError(f"not an authorization command: {command!r}")


def _recode(device: Device, old: int | None, new: int | None, auth_id: str) -> None:
    """Keep the code index right when ``auth_id``'s code changes from ``old`` to ``new``."""
    index = _codes(device)
    if old is not None and index.get(old) == auth_id:
        del index[old]
    if new is not None and device.auths[auth_id].type == AuthType.KEYPAD_CODE:
        index[new] = auth_id


def start_motion(
    device: Device,
    command: LockAction,
    at: datetime,
    config: SimConfig,
    walks: dict[int, Walk] = MOTION,
) -> tuple[Outcome, timedelta | None]:
    """Start the motor for ``command``. Return the outcome and how long the first step lasts.

    A jammed motor ends in state 254 (motor blocked) at once and the action fails.
    """
    drained = max(0.0, device.battery - config.battery_drain_per_action)
    device.battery = drained
    if device.jammed:
        device.status = with_battery(
            replace(
                device.status,
                state=LockState.MOTOR_BLOCKED,
                trigger=StateTrigger.SYSTEM,
                last_action=command.action,
            ),
            drained,
            config,
        )
        device.motion_ends = None
        return Outcome(command, at, ERR_MOTOR_BLOCKED), None
    first_state, setting = walks[command.action][0]
    step = timedelta(seconds=float(getattr(config, setting))) if setting else None
    status = replace(
        device.status, state=first_state, trigger=StateTrigger.SYSTEM, last_action=command.action
    )
    if walks is OPENER_MOTION and command.action in OPENER_MODES:
        # State.lastAction stops at 5 (the Swagger's range): a mode switch shows as the mode.
        mode = OPENER_MODES[command.action]
        status = replace(status, mode=mode, last_action=device.status.last_action)
    device.status = with_battery(status, drained, config)
    return Outcome(command, at), step


def motion_step(
    device: Device, action: int, index: int, config: SimConfig, walks: dict[int, Walk] = MOTION
) -> timedelta | None:
    """Move to step ``index`` of ``action``'s walk; return how long it lasts (None = done)."""
    state, setting = walks[action][index]
    device.status = replace(device.status, state=state)
    if setting is None:
        device.motion_ends = None
        return None
    return timedelta(seconds=float(getattr(config, setting)))


def with_battery(status: LockStatus, charge: float, config: SimConfig) -> LockStatus:
    """``status`` reporting ``charge`` (rounded to whole percent) and its critical flag."""
    whole = max(0, min(100, round(charge)))
    return replace(
        status, battery_charge=whole, battery_critical=whole < config.battery_critical_below
    )
