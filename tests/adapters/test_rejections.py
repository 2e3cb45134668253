"""Every rule rejects at once, and nothing reaches Nuki: the simulator's journal stays empty."""

from __future__ import annotations

from itertools import product
from typing import Any

import aiohttp
import pytest

from nuki_sim.adapters.traits import (
    ActionName,
    ActionQueued,
    ActionStatus,
    ActionUpdated,
    TraitErrorCode,
    TraitName,
)
from tests.adapters.conftest import BARE_LOCK, Connect, Rig, TimeMode, send

PINS, LOCK = TraitName.BETA_PIN_CODE_CREDENTIALS, TraitName.LOCK
CREATE, UPDATE, DELETE = ActionName.CREATE_PIN, ActionName.UPDATE_PIN, ActionName.DELETE_PIN
CAPACITY = 100
KEYPAD_CODE = 13
WINDOW = {"startDatetime": "2026-01-05T08:00:00Z", "endDatetime": "2026-01-09T10:00:00Z"}
MONDAYS = {"rrule": "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0", "duration": 60}
DAILY = {"rrule": "RRULE:FREQ=DAILY;BYHOUR=8;BYMINUTE=0", "duration": 60}
UNKNOWN_ID = "000000000000000000000000"


def pin(**changes: Any) -> dict[str, Any]:
    """A valid always-active credential, with ``changes`` applied."""
    return {"pinCode": "345678", "name": "Guest", **changes}


def scheduled(**changes: Any) -> dict[str, Any]:
    return pin(alwaysActive=False, **changes)


async def assert_rejected_before_http(rig: Rig, action: Any, rule: str | None, code: str) -> None:
    """The action is REJECTED with ``code`` (and ``rule``), with an event, and sent nothing."""
    assert action.status is ActionStatus.REJECTED, action
    assert action.error is not None
    assert action.error.code == code, action.error
    if rule is not None:
        assert action.error.rule == rule, action.error
    assert [e.status for e in rig.since(ActionUpdated) if e.action_id == action.id] == [
        ActionStatus.REJECTED
    ]
    assert not [e for e in rig.since(ActionQueued) if e.action_id == action.id]
    assert await rig.journal() == [], "a rejected action must send nothing to Nuki"
    assert await rig.journal(method="PUT") == []


RULES = [
    ("pin-length", {"pinCode": "34567"}),
    ("pin-length", {"pinCode": "3456789"}),
    ("pin-length", {"pinCode": "34a678"}),
    ("pin-no-zero", {"pinCode": "345670"}),
    ("pin-not-12", {"pinCode": "123456"}),
    ("name-length", {"name": "n" * 21}),
    ("name-length", {"name": ""}),
    ("one-temporary", {"alwaysActive": False, "temporarySchedules": [WINDOW, WINDOW]}),
    ("one-recurring", {"alwaysActive": False, "recurringSchedules": [MONDAYS, MONDAYS]}),
    ("schedule-needed", {"alwaysActive": False}),
    ("rrule-expressible", {"alwaysActive": False, "recurringSchedules": [DAILY]}),
    ("temporary-order", {"alwaysActive": False, "temporarySchedules": [{"startDatetime": WINDOW["endDatetime"], "endDatetime": WINDOW["startDatetime"]}]}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "changes"), RULES, ids=[f"{r}-{i}" for i, (r, _) in enumerate(RULES)]
)
async def test_broken_rule_rejects_a_create(vrig: Rig, rule: str, changes: dict) -> None:
    """A create that breaks a rule is REJECTED with that rule and sends no request."""
    await vrig.clear_journal()
    vrig.mark()
    action = await vrig.execute(PINS, CREATE, {"pinCodeCredential": pin(**changes)})
    await assert_rejected_before_http(vrig, action, rule, TraitErrorCode.VALIDATION)


@pytest.mark.parametrize(
    "rule", ["pin-no-zero", "pin-not-12", "name-length", "one-recurring", "rrule-expressible"]
)
async def test_broken_rule_rejects_an_update(vrig: Rig, rule: str) -> None:
    """An update is held to the same rules as a create."""
    known = next(iter(vrig.adapter.records[vrig.device_id()].known.values()))
    changes = dict(next(c for r, c in RULES if r == rule))
    await vrig.clear_journal()
    vrig.mark()
    credential = {"id": known.id, "pinCode": known.pin_code, "name": known.name, **changes}
    action = await vrig.execute(PINS, UPDATE, {"pinCodeCredential": credential})
    await assert_rejected_before_http(vrig, action, rule, TraitErrorCode.VALIDATION)


async def test_duplicate_of_a_known_code_is_rejected(vrig: Rig) -> None:
    """A code the lock already holds (as the adapter knows) is a duplicate."""
    known = next(iter(vrig.adapter.records[vrig.device_id()].known.values()))
    await vrig.clear_journal()
    vrig.mark()
    action = await vrig.execute(PINS, CREATE, {"pinCodeCredential": pin(pinCode=known.pin_code)})
    await assert_rejected_before_http(vrig, action, "pin-unique", TraitErrorCode.VALIDATION)


async def test_duplicate_of_a_code_in_flight_is_rejected(vrig: Rig) -> None:
    """A code already being created by a pending action is a duplicate too."""
    first = await vrig.execute(PINS, CREATE, {"pinCodeCredential": pin()})
    assert first.status is ActionStatus.PENDING, first.error
    await vrig.clear_journal()
    vrig.mark()
    action = await vrig.execute(PINS, CREATE, {"pinCodeCredential": pin(name="Second")})
    await assert_rejected_before_http(vrig, action, "pin-unique", TraitErrorCode.VALIDATION)


async def test_a_code_a_pending_update_gives_away_is_a_duplicate(vrig: Rig) -> None:
    """A PIN code that a pending update is giving to a known credential is taken already."""
    known = next(iter(vrig.adapter.records[vrig.device_id()].known.values()))
    changed = {"id": known.id, "pinCode": "987654", "name": known.name}
    first = await vrig.execute(PINS, UPDATE, {"pinCodeCredential": changed})
    assert first.status is ActionStatus.PENDING, first.error
    await vrig.clear_journal()
    vrig.mark()
    action = await vrig.execute(PINS, CREATE, {"pinCodeCredential": pin(pinCode="987654")})
    await assert_rejected_before_http(vrig, action, "pin-unique", TraitErrorCode.VALIDATION)


def spare_codes(taken: set[int]) -> list[int]:
    """Valid six-digit codes (digits 1-9, starting with 3) that are not in ``taken``."""
    codes = (int("3" + "".join(digits)) for digits in product("123456789", repeat=5))
    return [code for code in codes if code not in taken]


async def test_the_101st_code_is_rejected(
    virtual: TimeMode, connect: Connect, http: aiohttp.ClientSession
) -> None:
    """With 100 codes on the lock (synced before the adapter starts), a create is refused."""
    lock = virtual.sim.demo.locks[0]
    codes = {a.code for a in lock.cloud.auths.values() if a.type == KEYPAD_CODE}
    auths = f"/smartlock/{lock.smartlock_id}/auth"
    for number, code in enumerate(spare_codes(codes)[: CAPACITY - len(codes)]):
        body = {"type": KEYPAD_CODE, "name": f"Filler {number}", "code": code}
        assert (await send(http, virtual.sim, "PUT", auths, body))[0] == 204
    assert (await send(http, virtual.sim, "POST", f"/smartlock/{lock.smartlock_id}/sync"))[0] == 204
    rig = await connect(virtual)
    assert len(rig.adapter.records[rig.device_id()].known) == CAPACITY
    await rig.clear_journal()
    rig.mark()
    action = await rig.execute(PINS, CREATE, {"pinCodeCredential": pin(pinCode="999999")})
    await assert_rejected_before_http(rig, action, "capacity", TraitErrorCode.VALIDATION)


@pytest.mark.parametrize(
    ("action", "params"),
    [
        (UPDATE, {"pinCodeCredential": pin(id=UNKNOWN_ID)}),
        (DELETE, {"id": UNKNOWN_ID}),
    ],
)
async def test_unknown_credential_is_rejected(vrig: Rig, action: ActionName, params: dict) -> None:
    """Updating or deleting a credential the lock does not hold is rejected."""
    await vrig.clear_journal()
    vrig.mark()
    done = await vrig.execute(PINS, action, params)
    await assert_rejected_before_http(vrig, done, "unknown-credential", TraitErrorCode.VALIDATION)


async def test_lock_without_keypad_rejects_codes(vrig: Rig) -> None:
    """A lock with no keypad paired takes no PIN codes."""
    await vrig.clear_journal()
    vrig.mark()
    action = await vrig.execute(PINS, CREATE, {"pinCodeCredential": pin()}, index=BARE_LOCK)
    await assert_rejected_before_http(vrig, action, "keypad-required", TraitErrorCode.VALIDATION)


@pytest.mark.parametrize(
    ("trait", "action", "code"),
    [
        (TraitName.BATTERY_LEVEL, ActionName.SET_LOCKED, TraitErrorCode.ACTION_NOT_IMPLEMENTED),
        (TraitName.BETA_CONNECTIVITY, CREATE, TraitErrorCode.ACTION_NOT_IMPLEMENTED),
        (LOCK, CREATE, TraitErrorCode.ACTION_NOT_IMPLEMENTED),
        (PINS, ActionName.SET_LOCKED, TraitErrorCode.ACTION_NOT_IMPLEMENTED),
    ],
)
async def test_unknown_trait_or_action_is_rejected(
    vrig: Rig, trait: TraitName, action: ActionName, code: TraitErrorCode
) -> None:
    """An action that a trait of the device does not have is ActionNotImplemented."""
    await vrig.clear_journal()
    vrig.mark()
    done = await vrig.execute(trait, action, {"lock": True})
    await assert_rejected_before_http(vrig, done, None, code)


MALFORMED = [
    (LOCK, ActionName.SET_LOCKED, {"lock": "yes"}),
    (LOCK, ActionName.SET_LOCKED, {}),
    (PINS, CREATE, {"pinCodeCredential": "345678"}),
    (PINS, CREATE, {"pinCodeCredential": pin(pinCode=345678)}),
    (PINS, CREATE, {"pinCodeCredential": pin(name=None)}),
    (PINS, CREATE, {"pinCodeCredential": pin(alwaysActive="no")}),
    (PINS, CREATE, {"pinCodeCredential": scheduled(temporarySchedules=[{"startDatetime": "soon", "endDatetime": "later"}])}),
    (PINS, CREATE, {"pinCodeCredential": scheduled(recurringSchedules=[{"rrule": MONDAYS["rrule"], "duration": "1h"}])}),
    (PINS, CREATE, {"pinCodeCredential": scheduled(recurringSchedules={"rrule": MONDAYS["rrule"]})}),
    (PINS, UPDATE, {"pinCodeCredential": pin()}),
    (PINS, DELETE, {"id": 7}),
]  # fmt: skip


@pytest.mark.parametrize(("trait", "action", "params"), MALFORMED)
async def test_malformed_parameters_are_a_parse_error(
    vrig: Rig, trait: TraitName, action: ActionName, params: dict
) -> None:
    """Parameters of the wrong shape are REJECTED as ParseError before any request."""
    await vrig.clear_journal()
    vrig.mark()
    done = await vrig.execute(trait, action, params)
    await assert_rejected_before_http(vrig, done, "parse", TraitErrorCode.PARSE)
