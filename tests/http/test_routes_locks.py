"""Account and smart lock routes over real HTTP: listing, master data, actions, sync, logs.

Fact sheet §3.1/§3.3: writes answer 204 with an empty body as soon as they are queued; the
lock executes an action after the push delay and walks its motor through a transitional
state; the activity log lists newest first, ``limit`` defaults to 20 and is capped at 50,
and ``id`` is an "older than" cursor.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

DEFAULTS = SimConfig()
PUSH_DELAY = timedelta(seconds=DEFAULTS.push_delay)
MOTOR = timedelta(seconds=DEFAULTS.motor_seconds)
UNLATCH = timedelta(seconds=DEFAULTS.unlatch_seconds)
LOCK_N_GO = timedelta(seconds=DEFAULTS.lock_n_go_seconds)
ONE_SECOND = timedelta(seconds=1)

# Smartlock.State.state and SmartlockAction.action (fact sheet §4)
LOCKED, UNLOCKING, UNLOCKED, LOCKING, UNLATCHED, LOCK_N_GO_OPEN, UNLATCHING = 1, 2, 3, 4, 5, 6, 7
UNLOCK, LOCK, UNLATCH_ACTION, LOCK_N_GO_ACTION, LOCK_N_GO_UNLATCH = 1, 2, 3, 4, 5
SMART_LOCK_3 = 4  # Smartlock.type of the demo's locks
TRIGGER_WEB, TRIGGER_KEYPAD, STATE_SUCCESS, STATE_INVALID_CODE = 4, 255, 0, 224
WEB_API_NAME = "Nuki Web API"  # the demo token's name, which the log shows as "who"
WRONG_CODE = "999999"
UNKNOWN_USER = 999_999
LOCKED_BODY = {"stackTrace": [], "suppressedExceptions": []}


def detail(message: str) -> dict[str, Any]:
    return {"detailMessage": message, "stackTrace": [], "suppressedExceptions": []}


def invalid(parameter: str, value: object) -> dict[str, Any]:
    return detail(f"The supplied value '{value}' for parameter '{parameter}' is not valid")


def path(lock: Lock, suffix: str = "") -> str:
    return f"/smartlock/{lock.smartlock_id}{suffix}"


async def lock_state(api: ApiClient, lock: Lock) -> int:
    reply = await api.get(path(lock))
    assert reply.status == 200
    return int(reply.body["state"]["state"])


async def log_of(api: ApiClient, lock: Lock, **params: str) -> list[dict[str, Any]]:
    reply = await api.get(path(lock, "/log"), params=params)
    assert reply.status == 200, reply.body
    return list(reply.body)


def mistype_on_keypad(sim: RunningSimulator, lock: Lock, times: int) -> None:
    """Someone types a wrong code ``times`` times, a second apart: one log entry each."""
    for _ in range(times):
        sim.world.advance(ONE_SECOND)
        sim.world.keypad_entry(lock, WRONG_CODE)


async def run_to_completion(sim: RunningSimulator, api: ApiClient, lock: Lock, action: str) -> None:
    assert (await api.post(path(lock, f"/action/{action}"))).status == 204
    sim.world.advance(PUSH_DELAY + MOTOR)


class TestAccount:
    async def test_account_is_the_tokens_account(self, api: ApiClient, nuki_sim: RunningSimulator):
        """GET /account returns the account the token belongs to."""
        reply = await api.get("/account")
        assert reply.status == 200
        account = nuki_sim.demo.account
        assert reply.body["accountId"] == account.account_id
        assert reply.body["email"] == account.email
        assert reply.body["name"] == account.name


class TestListing:
    async def test_lists_the_accounts_locks(self, api: ApiClient, nuki_sim: RunningSimulator):
        """GET /smartlock lists exactly the account's locks, each with its state and config."""
        reply = await api.get("/smartlock")
        assert reply.status == 200
        assert [lk["smartlockId"] for lk in reply.body] == [
            lk.smartlock_id for lk in nuki_sim.demo.locks
        ]
        assert {lk["state"]["state"] for lk in reply.body} == {LOCKED}

    async def test_other_accounts_locks_are_not_listed(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        """A lock of another account never shows up in the listing."""
        other = nuki_sim.world.add_account(email="someone@example.com", name="Someone")
        theirs = nuki_sim.world.add_lock(other.account_id, name="Their Door")
        reply = await api.get("/smartlock")
        assert theirs.smartlock_id not in [lk["smartlockId"] for lk in reply.body]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"type": str(SMART_LOCK_3)}, 3),
            ({"type": "2"}, 0),
            ({"authId": "1"}, 3),
            ({"authId": "99"}, 0),
            ({"type": str(SMART_LOCK_3), "authId": "99"}, 0),
        ],
    )
    async def test_filters_by_type_and_auth_id(
        self, api: ApiClient, params: dict[str, str], expected: int
    ):
        """``type`` and ``authId`` narrow the listing; both must match."""
        reply = await api.get("/smartlock", params=params)
        assert reply.status == 200
        assert len(reply.body) == expected

    @pytest.mark.parametrize(("key", "value"), [("type", "keyturner"), ("authId", "-1")])
    async def test_a_bad_filter_is_a_400(self, api: ApiClient, key: str, value: str):
        """A filter that is not a valid number is refused naming the parameter."""
        reply = await api.get("/smartlock", params={key: value})
        assert (reply.status, reply.body) == (400, invalid(key, value))

    async def test_get_one_lock(self, api: ApiClient, keypad_lock: Lock, bare_lock: Lock):
        """GET /smartlock/{id} shows the lock, including whether a keypad is paired."""
        reply = await api.get(path(keypad_lock))
        assert reply.status == 200
        assert reply.body["smartlockId"] == keypad_lock.smartlock_id
        assert reply.body["name"] == keypad_lock.name
        assert reply.body["config"]["keypadPaired"] is True
        assert (await api.get(path(bare_lock))).body["config"]["keypadPaired"] is False


class TestMasterData:
    async def test_update_renames_and_marks_favorite(self, api: ApiClient, keypad_lock: Lock):
        """POST /smartlock/{id} answers 204 and the new name and favorite flag show at once."""
        reply = await api.post(path(keypad_lock), {"name": "Porch", "favorite": True})
        assert (reply.status, reply.body) == (204, None)
        shown = (await api.get(path(keypad_lock))).body
        assert (shown["name"], shown["config"]["name"], shown["favorite"]) == (
            "Porch",
            "Porch",
            True,
        )

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"name": ""}, invalid("name", "")),
            ({"name": "x" * 33}, invalid("name", "x" * 33)),
            ({"name": 7}, invalid("name", 7)),
            ({"favorite": "yes"}, invalid("favorite", "yes")),
            (["Porch"], detail("The request body must be a JSON object")),
        ],
    )
    async def test_a_bad_update_changes_nothing(
        self, api: ApiClient, keypad_lock: Lock, body: Any, expected: dict[str, Any]
    ):
        """A refused update is a 400 naming the parameter and the lock keeps its data."""
        before = (await api.get(path(keypad_lock))).body
        reply = await api.post(path(keypad_lock), body)
        assert (reply.status, reply.body) == (400, expected)
        assert (await api.get(path(keypad_lock))).body == before

    async def test_delete_removes_the_lock(self, api: ApiClient, keypad_lock: Lock):
        """DELETE /smartlock/{id} answers 204; the lock is then gone (404) and unlisted."""
        reply = await api.delete(path(keypad_lock))
        assert (reply.status, reply.body) == (204, None)
        gone = await api.get(path(keypad_lock))
        assert (gone.status, gone.body) == (404, detail("Smartlock not found"))
        listed = (await api.get("/smartlock")).body
        assert keypad_lock.smartlock_id not in [lk["smartlockId"] for lk in listed]


# Each action's walk after the push delay: (state, how long the lock stays in it).
WALKS = {
    UNLOCK: [(UNLOCKING, MOTOR), (UNLOCKED, None)],
    LOCK: [(LOCKING, MOTOR), (LOCKED, None)],
    UNLATCH_ACTION: [(UNLATCHING, MOTOR), (UNLATCHED, UNLATCH), (UNLOCKED, None)],
    LOCK_N_GO_ACTION: [(UNLOCKING, MOTOR), (LOCK_N_GO_OPEN, LOCK_N_GO), (LOCKING, MOTOR), (LOCKED, None)],
    LOCK_N_GO_UNLATCH: [(UNLATCHING, MOTOR), (UNLATCHED, LOCK_N_GO), (LOCKING, MOTOR), (LOCKED, None)],
}  # fmt: skip


class TestActions:
    @pytest.mark.parametrize(
        ("route", "body", "action"),
        [
            ("/action/unlock", None, UNLOCK),
            ("/action/lock", None, LOCK),
            ("/action", {"action": UNLOCK}, UNLOCK),
            ("/action", {"action": LOCK}, LOCK),
            ("/action", {"action": UNLATCH_ACTION, "option": 2}, UNLATCH_ACTION),
            ("/action", {"action": LOCK_N_GO_ACTION}, LOCK_N_GO_ACTION),
            ("/action", {"action": LOCK_N_GO_UNLATCH}, LOCK_N_GO_UNLATCH),
        ],
    )
    async def test_an_action_is_queued_then_walks_the_motor(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, route, body, action
    ):
        """204 at once; nothing moves before the push delay, then the lock walks its states."""
        if action == LOCK:
            await run_to_completion(nuki_sim, api, keypad_lock, "unlock")
        start = await lock_state(api, keypad_lock)
        reply = await api.post(path(keypad_lock, route), body)
        assert (reply.status, reply.body) == (204, None)
        nuki_sim.world.advance(PUSH_DELAY - ONE_SECOND)
        assert await lock_state(api, keypad_lock) == start
        nuki_sim.world.advance(ONE_SECOND)
        for state, lasts in WALKS[action]:
            assert await lock_state(api, keypad_lock) == state
            if lasts is not None:
                nuki_sim.world.advance(lasts)

    async def test_the_executed_action_is_logged_as_a_web_action(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        """When the lock executes it, the log gets action, trigger 4 (web) and state 0."""
        await api.post(path(keypad_lock, "/action/unlock"))
        assert await log_of(api, keypad_lock) == []
        nuki_sim.world.advance(PUSH_DELAY)
        newest = (await log_of(api, keypad_lock))[0]
        assert (newest["action"], newest["trigger"], newest["state"]) == (
            UNLOCK,
            TRIGGER_WEB,
            STATE_SUCCESS,
        )
        assert (newest["name"], newest["authId"]) == (WEB_API_NAME, keypad_lock.api_auth_id)

    async def test_423_while_an_action_is_queued(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        """A second action while the first still waits for the lock is 423 and not queued."""
        await api.post(path(keypad_lock, "/action/unlock"))
        reply = await api.post(path(keypad_lock, "/action/lock"))
        assert (reply.status, reply.body) == (423, LOCKED_BODY)
        assert len(keypad_lock.cloud.queue) == 1
        nuki_sim.world.advance(PUSH_DELAY + MOTOR)
        assert await lock_state(api, keypad_lock) == UNLOCKED

    async def test_423_while_the_motor_runs_then_accepted(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        """While the motor moves another action is 423; once it stops, it is accepted."""
        await api.post(path(keypad_lock, "/action/unlock"))
        nuki_sim.world.advance(PUSH_DELAY)
        refused = await api.post(path(keypad_lock, "/action"), {"action": LOCK})
        assert (refused.status, refused.body) == (423, LOCKED_BODY)
        nuki_sim.world.advance(MOTOR)
        assert (await api.post(path(keypad_lock, "/action/lock"))).status == 204

    @pytest.mark.parametrize(
        ("body", "expected"),
        [
            ({"action": 0}, invalid("action", 0)),
            ({"action": 6}, invalid("action", 6)),
            ({"action": "1"}, invalid("action", "1")),
            ({"action": True}, invalid("action", "true")),
            ({"action": 1.0}, invalid("action", 1.0)),
            ({}, invalid("action", "null")),
            ({"action": UNLOCK, "option": 8}, invalid("option", 8)),
            ({"action": UNLOCK, "option": -1}, invalid("option", -1)),
            ([UNLOCK], detail("The request body must be a JSON object")),
            (None, detail("The request body is missing")),
        ],
    )
    async def test_an_invalid_action_is_a_400_and_nothing_moves(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, body, expected
    ):
        """An unknown action, a bad option or a bad body is refused; nothing is queued."""
        reply = await api.post(path(keypad_lock, "/action"), body)
        assert (reply.status, reply.body) == (400, expected)
        assert not keypad_lock.cloud.queue
        nuki_sim.world.advance(PUSH_DELAY + MOTOR)
        assert await lock_state(api, keypad_lock) == LOCKED


class TestSync:
    async def test_sync_delivers_a_queued_action_at_once(self, api: ApiClient, keypad_lock: Lock):
        """POST /smartlock/{id}/sync answers 204 and hands the queue to the lock right away."""
        await api.post(path(keypad_lock, "/action/unlock"))
        reply = await api.post(path(keypad_lock, "/sync"))
        assert (reply.status, reply.body) == (204, None)
        assert not keypad_lock.cloud.queue
        assert await lock_state(api, keypad_lock) == UNLOCKING

    async def test_sync_of_an_offline_lock_is_accepted_and_changes_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        """An offline lock cannot be synced: 204, the action stays queued, the state stays."""
        nuki_sim.world.set_online(keypad_lock, False)
        assert (await api.post(path(keypad_lock, "/action/unlock"))).status == 204
        assert (await api.post(path(keypad_lock, "/sync"))).status == 204
        assert len(keypad_lock.cloud.queue) == 1
        assert await lock_state(api, keypad_lock) == LOCKED


class TestLog:
    async def test_newest_first_with_a_default_limit_of_20(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        """Without ``limit`` the log returns the 20 newest entries, newest first."""
        mistype_on_keypad(nuki_sim, keypad_lock, 25)
        entries = await log_of(api, keypad_lock)
        assert len(entries) == 20
        dates = [e["date"] for e in entries]
        assert dates == sorted(dates, reverse=True)
        assert len(set(dates)) == 20
        entry = entries[0]
        assert (entry["action"], entry["trigger"], entry["state"]) == (
            UNLOCK,
            TRIGGER_KEYPAD,
            STATE_INVALID_CODE,
        )

    @pytest.mark.parametrize(("limit", "expected"), [("1", 1), ("50", 50), ("51", 50), ("500", 50)])
    async def test_limit_is_capped_at_50(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, limit, expected
    ):
        """``limit`` picks how many entries come back, never more than 50."""
        mistype_on_keypad(nuki_sim, keypad_lock, 60)
        assert len(await log_of(api, keypad_lock, limit=limit)) == expected

    async def test_id_cursor_returns_older_entries(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        """``id`` is a cursor: the entries strictly older than that entry, newest first."""
        mistype_on_keypad(nuki_sim, keypad_lock, 8)
        everything = await log_of(api, keypad_lock)
        older = await log_of(api, keypad_lock, id=everything[2]["id"])
        assert older == everything[3:]
        assert await log_of(api, keypad_lock, id=everything[-1]["id"]) == []

    async def test_filters(self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock):
        """``action``, ``authId``, ``accountUserId``, ``fromDate`` and ``toDate`` narrow the log."""
        mistype_on_keypad(nuki_sim, keypad_lock, 3)
        await run_to_completion(nuki_sim, api, keypad_lock, "unlock")
        await run_to_completion(nuki_sim, api, keypad_lock, "lock")
        everything = await log_of(api, keypad_lock)
        assert [e["action"] for e in await log_of(api, keypad_lock, action=str(LOCK))] == [LOCK]
        by_web = await log_of(api, keypad_lock, authId=keypad_lock.api_auth_id)
        assert [e["action"] for e in by_web] == [LOCK, UNLOCK]
        assert await log_of(api, keypad_lock, accountUserId=str(UNKNOWN_USER)) == []
        window = await log_of(
            api, keypad_lock, fromDate=everything[3]["date"], toDate=everything[1]["date"]
        )
        assert window == everything[1:4]

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("id", "65f1a2b3c4d5e6f708192a3b"),
            ("limit", "0"),
            ("limit", "many"),
            ("action", "lock"),
            ("fromDate", "yesterday"),
            ("toDate", "2026-13-01T00:00:00Z"),
        ],
    )
    async def test_a_bad_query_is_a_400(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, key, value
    ):
        """An unknown cursor or an unreadable value is refused naming the parameter."""
        mistype_on_keypad(nuki_sim, keypad_lock, 2)
        reply = await api.get(path(keypad_lock, "/log"), params={key: value})
        assert (reply.status, reply.body) == (400, invalid(key, value))

    async def test_account_log_spans_all_locks_newest_first(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        """GET /smartlock/log merges every lock's entries, newest first, with the same cursor."""
        garage = nuki_sim.demo.locks[2]
        mistype_on_keypad(nuki_sim, keypad_lock, 2)
        mistype_on_keypad(nuki_sim, garage, 2)
        mistype_on_keypad(nuki_sim, keypad_lock, 1)
        reply = await api.get("/smartlock/log")
        assert reply.status == 200
        front, back = keypad_lock.smartlock_id, garage.smartlock_id
        assert [e["smartlockId"] for e in reply.body] == [front, back, back, front, front]
        older = await api.get("/smartlock/log", params={"id": reply.body[1]["id"], "limit": "2"})
        assert older.body == reply.body[2:4]
