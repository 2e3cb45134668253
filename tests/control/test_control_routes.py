"""The control plane over real HTTP: reset, snapshot/restore, accounts, tokens, locks, clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from nuki_sim.simulator.domain.clock import SystemClock, isoformat
from nuki_sim.simulator.http.server import DEFAULT_START, RunningSimulator, start_simulator
from tests.client import ApiClient
from tests.control.support import ControlClient, is_detail_error

ONE_DAY = 86_400
ONE_HOUR = 3_600
GUEST_CODE = 345_678
OTHER_CODE = 456_789
KEYPAD = 13
SERVER_STATE_OFFLINE = 4
DEMO_LOCKS = 3
HALF_CHARGE = 50
SYNC_TIME = "03:30"
NEXT_SYNC = "2026-01-06T03:30:00.000Z"  # the first 03:30 UTC after DEFAULT_START
ZONE = "Europe/Vienna"
UNKNOWN_SCOPE = "smartlock.teleport"


def keypad_lock_id(sim: RunningSimulator) -> int:
    return sim.demo.locks[0].smartlock_id


async def create_code(api: ApiClient, lock_id: int, code: int, name: str = "Guest") -> None:
    body = {"type": KEYPAD, "name": name, "code": code}
    assert (await api.put(f"/smartlock/{lock_id}/auth", body)).status == 204


async def listing(api: ApiClient, lock_id: int) -> list[dict[str, Any]]:
    reply = await api.get(f"/smartlock/{lock_id}/auth")
    assert reply.status == 200
    return list(reply.body)


async def snap(control: ControlClient) -> dict[str, Any]:
    reply = await control.get("/snapshot")
    assert reply.status == 200
    return dict(reply.body)


class TestWholeWorld:
    async def test_reset_brings_back_the_seeded_demo(
        self, nuki_sim: RunningSimulator, api: ApiClient, control: ControlClient
    ):
        """After codes, time and an offline lock, reset restores the start snapshot and clears journal and faults."""
        genesis = await snap(control)
        lock_id = keypad_lock_id(nuki_sim)
        await create_code(api, lock_id, GUEST_CODE)
        await control.post("/clock/advance", {"seconds": ONE_DAY})
        await control.post(f"/smartlocks/{lock_id}/connectivity", {"online": False})
        await create_code(api, lock_id, OTHER_CODE, "Queued")
        added = await control.post("/faults", {"path": "/smartlock/0", "status": 503})
        assert added.status == 201
        assert (await control.get("/requests")).body
        assert await snap(control) != genesis

        reply = await control.post("/reset")

        assert reply.status == 200
        assert reply.body["now"] == isoformat(DEFAULT_START)
        assert await snap(control) == genesis
        assert (await control.get("/requests")).body == []
        assert (await control.get("/faults")).body == []
        device = (await control.get(f"/smartlocks/{lock_id}/device")).body
        assert device["online"] is True
        assert device["queue"] == []

    async def test_snapshot_and_restore_round_trip(
        self, nuki_sim: RunningSimulator, api: ApiClient, control: ControlClient
    ):
        """A snapshot restored after later changes brings back that moment: state, listing and clock."""
        lock_id = keypad_lock_id(nuki_sim)
        await create_code(api, lock_id, GUEST_CODE)
        await control.post(f"/smartlocks/{lock_id}/sync")
        taken = await snap(control)
        listed = await listing(api, lock_id)
        clock = (await control.get("/clock")).body

        await create_code(api, lock_id, OTHER_CODE, "Later")
        await control.post("/clock/advance", {"seconds": ONE_DAY})
        assert await listing(api, lock_id) != listed

        reply = await control.post("/restore", taken)

        assert reply.status == 200
        assert reply.body == clock
        assert await snap(control) == taken
        assert await listing(api, lock_id) == listed


class TestAccountsAndTokens:
    async def test_new_account_and_its_token(self, api: ApiClient, control: ControlClient):
        """POST /_sim/accounts → 201 {accountId, token}; the token opens GET /account."""
        reply = await control.post("/accounts", {"name": "Ops", "email": "ops@example.com"})
        assert reply.status == 201
        assert set(reply.body) == {"accountId", "token", "apiKeyId"}
        account = await api.with_token(reply.body["token"]).get("/account")
        assert account.status == 200
        assert account.body["accountId"] == reply.body["accountId"]
        assert account.body["email"] == "ops@example.com"

    @pytest.mark.parametrize(
        ("scopes", "allowed", "refused"),
        [
            (["account"], "/account", "/smartlock"),
            (["smartlock.readOnly"], "/smartlock", "/account"),
        ],
    )
    async def test_scoped_token(
        self, api: ApiClient, control: ControlClient, scopes: list[str], allowed: str, refused: str
    ):
        """A token made with some scopes opens routes needing them and gets 401 elsewhere."""
        account = (await control.post("/accounts")).body
        reply = await control.post(f"/accounts/{account['accountId']}/tokens", {"scopes": scopes})
        assert reply.status == 201
        assert reply.body["scopes"] == scopes
        scoped = api.with_token(reply.body["token"])
        assert (await scoped.get(allowed)).status == 200
        denied = await scoped.get(refused)
        assert denied.status == 401

    async def test_unknown_scope_is_refused(self, api: ApiClient, control: ControlClient):
        """An unknown scope → 400 detail body and no token is made."""
        account = (await control.post("/accounts")).body
        before = await snap(control)
        reply = await control.post(
            f"/accounts/{account['accountId']}/tokens", {"scopes": ["account", UNKNOWN_SCOPE]}
        )
        assert is_detail_error(reply, 400)
        assert UNKNOWN_SCOPE in reply.body["detailMessage"]
        assert await snap(control) == before


GOOD_LOCK = {
    "name": "Shed",
    "keypad": False,
    "online": False,
    "batteryCharge": HALF_CHARGE,
    "timezone": ZONE,
    "syncTime": SYNC_TIME,
}


class TestSmartlocks:
    async def test_create_smartlock(self, api: ApiClient, control: ControlClient):
        """POST /_sim/smartlocks → 201 Smartlock JSON as configured; the device view shows its sync time."""
        account = (await control.post("/accounts")).body
        reply = await control.post("/smartlocks", {**GOOD_LOCK, "accountId": account["accountId"]})
        assert reply.status == 201
        lock = reply.body
        assert lock["accountId"] == account["accountId"]
        assert lock["name"] == GOOD_LOCK["name"]
        assert lock["serverState"] == SERVER_STATE_OFFLINE
        assert lock["config"]["keypadPaired"] is False
        assert lock["state"]["batteryCharge"] == HALF_CHARGE
        owner = api.with_token(account["token"])
        listed = await owner.get("/smartlock")
        assert [entry["smartlockId"] for entry in listed.body] == [lock["smartlockId"]]

        device = await control.get(f"/smartlocks/{lock['smartlockId']}/device")
        assert device.status == 200
        assert device.body["syncTime"] == SYNC_TIME
        assert device.body["nextAutoSync"] == NEXT_SYNC
        assert device.body["timezone"] == ZONE
        assert device.body["online"] is False

    @pytest.mark.parametrize(
        "change",
        [
            {"timezone": "Mars/Olympus_Mons"},
            {"batteryCharge": 101},
            {"accountId": None},
            {"syncTime": "25:00"},
            {"keypad": "yes"},
        ],
        ids=["unknown zone", "battery 101", "no accountId", "bad syncTime", "keypad not bool"],
    )
    async def test_bad_smartlock_bodies(self, control: ControlClient, change: dict[str, Any]):
        """A bad body → 400 detail body and no lock is created."""
        account = (await control.post("/accounts")).body
        body = {**GOOD_LOCK, "accountId": account["accountId"], **change}
        body = {k: v for k, v in body.items() if v is not None}
        before = await snap(control)
        reply = await control.post("/smartlocks", body)
        assert is_detail_error(reply, 400), reply.body
        assert await snap(control) == before

    async def test_smartlock_body_not_json(self, control: ControlClient):
        """A body that is not JSON → 400 detail body and no lock is created."""
        before = await snap(control)
        reply = await control.request("POST", "/smartlocks", data="accountId=1")
        assert is_detail_error(reply, 400)
        assert await snap(control) == before


class TestClock:
    async def test_clock_view(self, control: ControlClient):
        """GET /_sim/clock tells the virtual clock's time, the next due job and the agenda size."""
        reply = await control.get("/clock")
        assert reply.status == 200
        assert reply.body["now"] == isoformat(DEFAULT_START)
        assert reply.body["kind"] == "virtual"
        assert reply.body["pending"] == DEMO_LOCKS  # one daily auto sync per demo lock
        assert reply.body["nextDue"] > reply.body["now"]

    async def test_advance_runs_what_falls_due(self, control: ControlClient):
        """Advancing one day runs each lock's daily sync once and reports it by kind."""
        reply = await control.post("/clock/advance", {"seconds": ONE_DAY})
        assert reply.status == 200
        assert reply.body["now"] == isoformat(DEFAULT_START + timedelta(days=1))
        assert reply.body["ran"] == DEMO_LOCKS
        assert reply.body["byKind"] == {"AutoSync": DEMO_LOCKS}

    @pytest.mark.parametrize("seconds", [-1, "60", True, None])
    async def test_advance_refuses_bad_seconds(self, control: ControlClient, seconds: object):
        """A negative or non-numeric seconds → 400 and the clock stays."""
        reply = await control.post("/clock/advance", {"seconds": seconds})
        assert is_detail_error(reply, 400)
        assert (await control.get("/clock")).body["now"] == isoformat(DEFAULT_START)

    async def test_set_moves_forward_only(self, control: ControlClient):
        """POST /_sim/clock/set moves the clock forward; an earlier instant → 400, nothing moved."""
        later = DEFAULT_START + timedelta(seconds=ONE_HOUR)
        reply = await control.post("/clock/set", {"now": isoformat(later)})
        assert reply.status == 200
        assert reply.body["now"] == isoformat(later)
        assert reply.body["ran"] == 0

        before = await snap(control)
        back = await control.post("/clock/set", {"now": isoformat(DEFAULT_START)})
        assert is_detail_error(back, 400)
        assert (await control.get("/clock")).body["now"] == isoformat(later)
        assert await snap(control) == before


async def test_system_clock_refuses_advance(http: aiohttp.ClientSession):
    """A simulator on the system clock refuses /_sim/clock/advance with 400 pointing to freezegun."""
    sim = await start_simulator(clock=SystemClock())
    try:
        control = ControlClient(http, sim.url, None)
        reply = await control.post("/clock/advance", {"seconds": ONE_HOUR})
        assert is_detail_error(reply, 400)
        assert "freezegun" in reply.body["detailMessage"]
        assert (await control.get("/clock")).body["kind"] == "system"
    finally:
        await sim.close()
