"""API-triggered webhooks (docs "type-api", fact sheet §6.5), end to end with a real receiver.

An Advanced API call answers ``{"requestId"}``; when the lock's outcome is known, one signed
POST without ``feature`` reports it: ``{type, requestId, smartlockId, success: true}`` for an
action, ``success: false`` with ``detail`` (smartlockId, hex ``errorCode``, the new auth's
``id``) for what failed. It goes to every decentral webhook of the account, whatever its
features, and the delivery log shows its ``requestId``.
"""

from __future__ import annotations

from typing import Any

from nuki_sim.simulator.domain.advanced import TIMEOUT
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.webhooks.receiver import Receiver
from tests.webhooks.support import PUSH_DELAY, advance, flush, set_online, subscribe

FIRST_RETRY = 10  # SimConfig.webhook_retry_first

SECONDS_TO_GIVE_UP = PUSH_DELAY + TIMEOUT.total_seconds()  # after the request
DEMO_USER = 200001


def api_triggered(receiver: Receiver) -> list[dict[str, Any]]:
    """The API-triggered payloads the receiver got (device-triggered ones carry ``feature``)."""
    return [p for p in receiver.payloads() if "feature" not in p]


async def unlock(api: ApiClient, smartlock_id: int) -> str:
    reply = await api.post(f"/smartlock/{smartlock_id}/action/unlock/advanced")
    assert reply.status == 200, reply.body
    return str(reply.body["requestId"])


async def test_advanced_unlock_reports_success_to_a_real_receiver(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """The issue's flow: advanced unlock → requestId → a signed webhook with that requestId
    and success true, even for a subscription that chose only DEVICE_LOGS; the delivery log
    names the requestId."""
    hook = await subscribe(api, receiver.url, ["DEVICE_LOGS"])
    lock = nuki_sim.demo.locks[0].smartlock_id
    request_id = await unlock(api, lock)
    assert await flush(api)
    assert api_triggered(receiver) == []  # not before the lock had it
    await advance(api, PUSH_DELAY)
    expected = {
        "type": "UnlockAction",
        "requestId": request_id,
        "smartlockId": lock,
        "success": True,
    }
    assert api_triggered(receiver) == [expected]
    assert receiver.verify(hook["secret"])
    logs = await api.get(f"/api/key/{nuki_sim.demo.token.api_key_id}/webhook/logs")
    assert logs.status == 200
    assert [entry.get("requestId") for entry in logs.body if entry.get("requestId")] == [request_id]
    assert all("requestId" not in e for e in logs.body if '"feature"' in e["request"]["body"])


async def test_generic_action_names_its_type(receiver: Receiver, api, nuki_sim):
    await subscribe(api, receiver.url)
    lock = nuki_sim.demo.locks[0].smartlock_id
    reply = await api.post(f"/smartlock/{lock}/action/advanced", {"action": 3})
    assert reply.status == 200
    await advance(api, PUSH_DELAY)
    assert [(p["type"], p["success"]) for p in api_triggered(receiver)] == [("UnlatchAction", True)]


async def test_every_subscription_of_the_account_gets_it(
    make_receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    first, second = await make_receiver(), await make_receiver()
    await subscribe(api, first.url, ["DEVICE_STATUS"])
    await subscribe(api, second.url, ["ACCOUNT_USER"])
    request_id = await unlock(api, nuki_sim.demo.locks[0].smartlock_id)
    await advance(api, PUSH_DELAY)
    for receiver in (first, second):
        assert [p["requestId"] for p in api_triggered(receiver)] == [request_id]


async def test_jammed_lock_reports_motor_blocked(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    await subscribe(api, receiver.url)
    lock = nuki_sim.demo.locks[0].smartlock_id
    jam = await api.post(f"/_sim/smartlocks/{lock}/jam", {"jammed": True})
    assert jam.status == 200
    request_id = await unlock(api, lock)
    await advance(api, PUSH_DELAY)
    assert api_triggered(receiver) == [
        {
            "type": "UnlockAction",
            "requestId": request_id,
            "smartlockId": lock,
            "success": False,
            "detail": [{"smartlockId": lock, "success": False, "errorCode": "42"}],
        }
    ]


async def test_offline_lock_fails_after_the_timeout_and_never_runs_it(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """The command is taken back when it fails: the lock coming back later does not unlock."""
    await subscribe(api, receiver.url)
    lock = nuki_sim.demo.locks[0]
    await set_online(api, lock.smartlock_id, False)
    request_id = await unlock(api, lock.smartlock_id)
    await advance(api, SECONDS_TO_GIVE_UP - 1)
    assert api_triggered(receiver) == []
    await advance(api, 1)
    (report,) = api_triggered(receiver)
    assert (report["requestId"], report["success"]) == (request_id, False)
    assert report["detail"] == [
        {"smartlockId": lock.smartlock_id, "success": False, "errorCode": "ff"}
    ]
    state = lock.device.status.state
    await set_online(api, lock.smartlock_id, True)
    await advance(api, PUSH_DELAY)
    assert lock.device.status.state == state
    assert (await api.post(f"/smartlock/{lock.smartlock_id}/action/unlock")).status == 204


async def test_auth_creation_over_two_locks_reports_the_one_that_failed(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """PUT /smartlock/auth/advanced on an online and an offline lock: one webhook, success
    false, one detail entry for the offline lock with the id its failed create is listed
    under (with its error); the online lock has the authorization."""
    await subscribe(api, receiver.url)
    online, offline = (lock.smartlock_id for lock in nuki_sim.demo.locks[:2])
    await set_online(api, offline, False)
    body = {
        "name": "Cleaner",
        "accountUserId": DEMO_USER,
        "remoteAllowed": False,
        "smartlockIds": [online, offline],
    }
    reply = await api.put("/smartlock/auth/advanced", body)
    assert reply.status == 200, reply.body
    request_id = reply.body["requestId"]
    await advance(api, PUSH_DELAY)
    assert api_triggered(receiver) == []  # one webhook for both locks, when both are known
    await advance(api, SECONDS_TO_GIVE_UP - PUSH_DELAY)
    (report,) = api_triggered(receiver)
    assert (report["type"], report["requestId"], report["success"]) == (
        "AuthCreation", request_id, False,
    )  # fmt: skip
    (failed,) = report["detail"]
    assert (failed["smartlockId"], failed["success"], failed["errorCode"]) == (offline, False, "ff")
    listed = (await api.get(f"/smartlock/{offline}/auth")).body
    shown = next(a for a in listed if a["id"] == failed["id"])
    assert shown["name"] == "Cleaner"
    assert "ERROR_UNKNOWN" in shown["error"]
    assert (await api.post(f"/smartlock/{online}/sync")).status == 204
    names = [a["name"] for a in (await api.get(f"/smartlock/{online}/auth")).body]
    assert "Cleaner" in names


async def test_auth_creation_on_every_lock_reports_success(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    await subscribe(api, receiver.url)
    locks = [lock.smartlock_id for lock in nuki_sim.demo.locks[:2]]
    body = {
        "name": "Guest",
        "accountUserId": DEMO_USER,
        "remoteAllowed": True,
        "smartlockIds": locks,
    }
    reply = await api.put("/smartlock/auth/advanced", body)
    await advance(api, PUSH_DELAY)
    assert api_triggered(receiver) == [
        {"type": "AuthCreation", "requestId": reply.body["requestId"], "success": True}
    ]


async def test_a_refused_report_is_retried_with_the_same_bytes(
    receiver: Receiver, api: ApiClient, nuki_sim: RunningSimulator
):
    """Delivered like every webhook: a 500 keeps it in the outbox, the retry sends the same
    signed bytes, and both attempts in the delivery log name the requestId."""
    hook = await subscribe(api, receiver.url, ["DEVICE_CONFIG"])
    receiver.status = 500
    request_id = await unlock(api, nuki_sim.demo.locks[0].smartlock_id)
    await advance(api, PUSH_DELAY)
    receiver.status = 200
    await advance(api, FIRST_RETRY)
    first, second = receiver.deliveries
    assert first.raw == second.raw
    assert second.payload["requestId"] == request_id
    assert second.signed_with(hook["secret"])
    logs = (await api.get(f"/api/key/{nuki_sim.demo.token.api_key_id}/webhook/logs")).body
    assert [(e["succeeded"], e["requestId"]) for e in logs] == [
        (True, request_id),
        (False, request_id),
    ]
