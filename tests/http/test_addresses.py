"""Addresses over real HTTP (Swagger 4.18.0 ``/address``): addresses and their locks, units
with their asynchronous delete, address tokens (info without a token, redeem by another
account), and reservations booked through ``/_sim`` then issued, revoked and given new access
times through the ordinary authorization queue.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import Lock
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

PUSH_DELAY = timedelta(seconds=SimConfig().push_delay)
NOT_AUTHORIZED = "Your access token is not authorized"
UNKNOWN_ADDRESS = 999_999
UNKNOWN_ID = "0123456789abcdef01234567"
CHECK_IN = "2026-01-10T15:00:00.000Z"  # the demo clock starts 2026-01-05T09:00Z
CHECK_OUT = "2026-01-12T10:00:00.000Z"
GUEST = {"name": "Grace Guest", "email": "grace@example.com", "checkIn": CHECK_IN,
         "checkOut": CHECK_OUT, "reference": "HM-42"}  # fmt: skip


def invalid(parameter: str, value: object) -> str:
    return f"The supplied value '{value}' for parameter '{parameter}' is not valid"


async def create(api: ApiClient, *locks: Lock, name: str = "Seaside") -> dict[str, Any]:
    reply = await api.put(
        "/address", {"name": name, "smartlockIds": [lk.smartlock_id for lk in locks]}
    )
    assert reply.status == 200, reply.body
    return dict(reply.body)


async def addresses(api: ApiClient) -> list[dict[str, Any]]:
    reply = await api.get("/address")
    assert reply.status == 200, reply.body
    return list(reply.body)


async def book(api: ApiClient, address_id: int, **changes: Any) -> dict[str, Any]:
    reply = await api.put(f"/_sim/addresses/{address_id}/reservations", {**GUEST, **changes})
    assert reply.status == 201, reply.body
    return dict(reply.body)


async def reservations(api: ApiClient, address_id: int) -> list[dict[str, Any]]:
    reply = await api.get(f"/address/{address_id}/reservation")
    assert reply.status == 200, reply.body
    return list(reply.body)


async def add_unit(api: ApiClient, address_id: int, name: str = "Flat 1") -> dict[str, Any]:
    reply = await api.put(f"/address/{address_id}/unit", {"name": name})
    assert reply.status == 200, reply.body
    return dict(reply.body)


def other_account(sim: RunningSimulator) -> tuple[str, Lock]:
    """Another account's token and lock."""
    world = sim.world
    other = world.add_account(email="other@example.com", name="Other")
    token = world.add_token(other.account_id).token
    return token, world.add_lock(other.account_id, name="Their door")


class TestAddresses:
    async def test_created_address_is_listed_updated_and_deleted(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, bare_lock: Lock
    ):
        made = await create(api, keypad_lock)
        assert made["accountId"] == nuki_sim.demo.account.account_id
        assert (made["name"], made["smartlockIds"]) == ("Seaside", [keypad_lock.smartlock_id])
        assert made["timeZone"] == keypad_lock.device.timezone
        assert made in await addresses(api)
        nuki_sim.world.advance(timedelta(seconds=5))
        path = f"/address/{made['addressId']}"
        body = {"name": "Seaside Villa", "smartlockIds": [bare_lock.smartlock_id],
                "settings": {"welcome": {"text": "hi"}}}  # fmt: skip
        assert (await api.post(path, body)).status == 204
        [changed] = [a for a in await addresses(api) if a["addressId"] == made["addressId"]]
        assert (changed["name"], changed["smartlockIds"]) == (
            "Seaside Villa", [bare_lock.smartlock_id],
        )  # fmt: skip
        assert changed["settings"] == {"welcome": {"text": "hi"}}
        assert changed["updateDate"] > made["updateDate"]
        assert (await api.delete(path)).status == 204
        assert made["addressId"] not in [a["addressId"] for a in await addresses(api)]
        assert (await api.post(path, {"name": "Back"})).status == 404

    async def test_routes_without_a_listed_scope_take_any_token_of_the_account(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        token = nuki_sim.world.add_token(
            nuki_sim.demo.account.account_id, frozenset({"smartlock.readOnly"})
        ).token
        narrow = api.with_token(token)
        body = {"name": "Cabin", "smartlockIds": [keypad_lock.smartlock_id]}
        made = await narrow.put("/address", body)
        assert made.status == 200
        path = f"/address/{made.body['addressId']}"
        assert (await narrow.get(path + "/token")).status == 200
        assert ((await narrow.get("/address")).status, (await narrow.get(path + "/unit")).status) == (
            401, 401,
        )  # fmt: skip
        assert (await narrow.delete(path)).status == 204

    async def test_missing_token_is_401(self, api: ApiClient, keypad_lock: Lock):
        made = await create(api, keypad_lock)
        path = f"/address/{made['addressId']}"
        anonymous = api.with_token(None)
        for reply in (
            await anonymous.get("/address"),
            await anonymous.put(
                "/address", {"name": "X", "smartlockIds": [keypad_lock.smartlock_id]}
            ),
            await anonymous.post(path, {"name": "X"}),
            await anonymous.delete(path),
            await anonymous.get(path + "/unit"),
            await anonymous.get(path + "/token"),
            await anonymous.get(path + "/reservation"),
            await anonymous.post(f"{path}/reservation/{UNKNOWN_ID}/issue"),
            await anonymous.post(f"/address/token/{UNKNOWN_ID}/redeem"),
        ):
            assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert made in await addresses(api)

    async def test_wrong_scope_is_401_and_changes_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        made = await create(api, keypad_lock)
        path = f"/address/{made['addressId']}"
        token = nuki_sim.world.add_token(
            nuki_sim.demo.account.account_id, frozenset({"smartlock", "smartlock.auth"})
        ).token
        narrow = api.with_token(token)
        for reply in (
            await narrow.post(path, {"name": "Renamed"}),
            await narrow.put(path + "/unit", {"name": "Flat"}),
            await narrow.get(path + "/reservation"),
        ):
            assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert made in await addresses(api)
        assert (await api.get(path + "/unit")).body == []

    @pytest.mark.parametrize(
        ("body", "parameter", "value"),
        [
            ({"smartlockIds": []}, "name", "null"),
            ({"name": "", "smartlockIds": []}, "name", ""),
            ({"name": "x" * 51, "smartlockIds": []}, "name", "x" * 51),
            ({"name": 7, "smartlockIds": []}, "name", 7),
            ({"name": "Seaside"}, "smartlockIds", "null"),
            ({"name": "Seaside", "smartlockIds": []}, "smartlockIds", "[]"),
            ({"name": "Seaside", "smartlockIds": "1"}, "smartlockIds", "1"),
            ({"name": "Seaside", "smartlockIds": [True]}, "smartlockIds", "true"),
            ({"name": "Seaside", "smartlockIds": [42]}, "smartlockIds", 42),
        ],
    )
    async def test_bad_create_is_400_and_creates_nothing(
        self, api: ApiClient, body: dict[str, Any], parameter: str, value: object
    ):
        before = await addresses(api)
        reply = await api.put("/address", body)
        assert (reply.status, reply.detail) == (400, invalid(parameter, value))
        assert await addresses(api) == before

    async def test_a_lock_of_another_account_is_400(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        _, theirs = other_account(nuki_sim)
        made = await create(api, keypad_lock)
        for reply in (
            await api.put("/address", {"name": "X", "smartlockIds": [theirs.smartlock_id]}),
            await api.post(
                f"/address/{made['addressId']}", {"smartlockIds": [theirs.smartlock_id]}
            ),
        ):
            assert (reply.status, reply.detail) == (
                400,
                invalid("smartlockIds", theirs.smartlock_id),
            )
        assert made in await addresses(api)

    async def test_bad_update_is_400_and_changes_nothing(self, api: ApiClient, keypad_lock: Lock):
        made = await create(api, keypad_lock)
        path = f"/address/{made['addressId']}"
        for body in ({"settings": [1]}, {"name": ""}, {"smartlockIds": []}, ["x"]):
            assert (await api.post(path, body)).status == 400
        assert made in await addresses(api)

    @pytest.mark.parametrize(
        ("method", "suffix"),
        [("POST", ""), ("DELETE", ""), ("GET", "/unit"), ("PUT", "/unit"), ("GET", "/token"),
         ("GET", "/reservation"), ("POST", f"/reservation/{UNKNOWN_ID}/issue")],
    )  # fmt: skip
    async def test_unknown_address_is_404(self, api: ApiClient, method: str, suffix: str):
        body = {"name": "X"} if method in ("POST", "PUT") and not suffix.endswith("issue") else None
        reply = await api.request(method, f"/address/{UNKNOWN_ADDRESS}{suffix}", json_body=body)
        assert (reply.status, reply.detail) == (404, "Address not found")

    async def test_the_lookup_comes_before_the_body(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        token, theirs = other_account(nuki_sim)
        foreign = (await create(api.with_token(token), theirs))["addressId"]
        for address, status in ((UNKNOWN_ADDRESS, 404), (foreign, 403)):
            base = f"/address/{address}"
            for reply in (
                await api.post(base, {"name": ""}),
                await api.put(base + "/unit", {"name": 7}),
                await api.delete(base + "/unit", "not a list"),
                await api.post(f"{base}/reservation/{UNKNOWN_ID}/update/accesstimes", {}),
            ):
                assert reply.status == status
        bad_email = await api.post(f"/address/token/{UNKNOWN_ID}/redeem", params={"email": "x"})
        assert bad_email.status == 404
        booking = await api.put(f"/_sim/addresses/{UNKNOWN_ADDRESS}/reservations", {"name": 1})
        assert booking.status == 404

    async def test_non_numeric_address_id_is_no_route(self, api: ApiClient):
        assert (await api.get("/address/abc/unit")).status == 404

    async def test_other_accounts_address_is_403(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        token, theirs = other_account(nuki_sim)
        them = api.with_token(token)
        made = await create(them, theirs)
        path = f"/address/{made['addressId']}"
        for reply in (
            await api.post(path, {"name": "Mine now"}),
            await api.get(path + "/unit"),
            await api.get(path + "/reservation"),
            await api.get(path + "/token"),
            await api.delete(path),
        ):
            assert (reply.status, reply.detail) == (403, "Forbidden")
        assert made["addressId"] not in [a["addressId"] for a in await addresses(api)]
        assert made in await addresses(them)


class TestUnits:
    async def test_unit_has_a_token_and_is_deleted_after_the_push_delay(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        address = (await create(api, keypad_lock))["addressId"]
        unit = await add_unit(api, address)
        assert (unit["name"], unit["addressId"], len(unit["id"])) == ("Flat 1", address, 24)
        assert "redeemDate" not in unit
        tokens = (await api.get(f"/address/{address}/token")).body
        assert [t["id"] for t in tokens] == [unit["addressTokenId"]]
        assert (await api.get(f"/address/{address}/unit")).body == [unit]
        path = f"/address/{address}/unit/{unit['id']}"
        deleted = await api.delete(path)
        assert deleted.status == 200
        [pending] = (await api.get(f"/address/{address}/unit")).body
        assert pending["operationId"] == deleted.body["requestId"]
        assert (await api.delete(path)).status == 423
        assert (await api.delete(f"/address/{address}/unit", [unit["id"]])).status == 423
        nuki_sim.world.advance(PUSH_DELAY)
        assert (await api.get(f"/address/{address}/unit")).body == []
        assert (await api.get(f"/address/{address}/token")).body == []
        assert (await api.delete(path)).status == 404

    async def test_bulk_delete(self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock):
        address = (await create(api, keypad_lock))["addressId"]
        one, two = await add_unit(api, address, "A"), await add_unit(api, address, "B")
        reply = await api.delete(f"/address/{address}/unit", [one["id"], two["id"]])
        assert reply.status == 200
        nuki_sim.world.advance(PUSH_DELAY)
        assert (await api.get(f"/address/{address}/unit")).body == []

    async def test_bad_unit_input_is_400_and_changes_nothing(
        self, api: ApiClient, keypad_lock: Lock
    ):
        address = (await create(api, keypad_lock))["addressId"]
        unit = await add_unit(api, address)
        units = f"/address/{address}/unit"
        for reply in (
            await api.put(units, {"name": ""}),
            await api.put(units, {}),
            await api.delete(units, [unit["id"], UNKNOWN_ID]),
            await api.delete(units, []),
            await api.delete(units, {"id": unit["id"]}),
        ):
            assert reply.status == 400
        assert (await api.get(units)).body == [unit]


class TestTokens:
    async def test_info_needs_no_token_and_redeem_is_by_the_redeeming_account(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, bare_lock: Lock
    ):
        address = (await create(api, keypad_lock, bare_lock))["addressId"]
        unit = await add_unit(api, address)
        token_id = unit["addressTokenId"]
        info = await api.with_token(None).get(f"/address/token/{token_id}")
        assert info.status == 200
        assert info.body == {
            "id": token_id, "addressName": "Seaside",
            "smartlockNames": [keypad_lock.name, bare_lock.name],
        }  # fmt: skip
        guest_token, _ = other_account(nuki_sim)
        guest = api.with_token(guest_token)
        redeem = f"/address/token/{token_id}/redeem"
        assert (await guest.get(redeem)).status == 404
        assert (await guest.post(redeem, params={"email": "maybe"})).status == 400
        assert (await guest.post(redeem, params={"email": "false"})).status == 204
        redeemed = (await guest.get(redeem)).body
        guest_account = (await guest.get("/account")).body["accountId"]
        assert (redeemed["id"], redeemed["redeemAccountId"], redeemed["redeemResult"]) == (
            token_id, guest_account, "ok",
        )  # fmt: skip
        assert (await api.get(redeem)).status == 404  # the owner did not redeem it
        assert (await guest.post(redeem)).status == 400  # once only
        [listed] = (await api.get(f"/address/{address}/unit")).body
        assert (listed["redeemDate"], listed["redeemResult"]) == (redeemed["redeemDate"], "ok")

    async def test_unknown_token_is_404(self, api: ApiClient):
        for reply in (
            await api.with_token(None).get(f"/address/token/{UNKNOWN_ID}"),
            await api.get(f"/address/token/{UNKNOWN_ID}/redeem"),
            await api.post(f"/address/token/{UNKNOWN_ID}/redeem"),
        ):
            assert (reply.status, reply.detail) == (404, "Token not found")


class TestReservations:
    async def test_booked_reservation_is_listed_as_accepted_and_not_issued(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        address = (await create(api, keypad_lock))["addressId"]
        booked = await book(api, address)
        assert (booked["access"], booked["code"], booked["authorizations"]) == ("new", None, [])
        [listed] = await reservations(api, address)
        assert listed == booked["reservation"]
        assert (listed["name"], listed["email"], listed["reference"], listed["state"]) == (
            "Grace Guest", "grace@example.com", "HM-42", "accepted",
        )  # fmt: skip
        assert (listed["startDate"], listed["endDate"]) == (CHECK_IN, CHECK_OUT)
        assert (listed["keypadIssued"], listed["hasCustomAccessTimes"]) == (False, False)
        assert listed["accountId"] == nuki_sim.demo.account.account_id

    @pytest.mark.parametrize(
        "changes",
        [{"checkOut": CHECK_IN}, {"name": ""}, {"email": None}, {"checkIn": "soon"},
         {"guests": 0}, {"serviceId": "hotels"}, {"unitId": UNKNOWN_ID}],
    )  # fmt: skip
    async def test_bad_booking_is_400(self, api: ApiClient, keypad_lock: Lock, changes):
        address = (await create(api, keypad_lock))["addressId"]
        reply = await api.put(f"/_sim/addresses/{address}/reservations", {**GUEST, **changes})
        assert reply.status == 400
        assert await reservations(api, address) == []

    async def test_booking_at_an_unknown_address_is_404(self, api: ApiClient):
        reply = await api.put(f"/_sim/addresses/{UNKNOWN_ADDRESS}/reservations", GUEST)
        assert reply.status == 404

    async def test_issue_queues_a_code_on_each_keypad_lock_for_the_stay(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, bare_lock: Lock
    ):
        address = (await create(api, keypad_lock, bare_lock))["addressId"]
        rid = (await book(api, address))["reservation"]["id"]
        assert (await api.post(f"/address/{address}/reservation/{rid}/issue")).status == 204
        [issuing] = await reservations(api, address)
        assert (issuing["isCurrentlyIssuingAuth"], issuing["keypadIssued"]) == (True, True)
        [sim] = (await api.get(f"/_sim/addresses/{address}/reservations")).body
        code = sim["code"]
        assert [g["smartlockId"] for g in sim["authorizations"]] == [keypad_lock.smartlock_id]
        text = str(code)
        assert (len(text), "0" in text, text[:2] == "12") == (6, False, False)
        on_lock = [a for a in keypad_lock.device.auths.values() if a.code == code]
        assert on_lock == []  # queued, not yet pushed
        nuki_sim.world.advance(PUSH_DELAY)
        [auth] = [a for a in keypad_lock.device.auths.values() if a.code == code]
        assert (auth.name, auth.type) == ("Grace Guest", 13)
        window = (auth.schedule.allowed_from_date, auth.schedule.allowed_until_date)
        assert [w.isoformat() for w in window] == [
            "2026-01-10T15:00:00+00:00", "2026-01-12T10:00:00+00:00",
        ]  # fmt: skip
        [issued] = await reservations(api, address)
        assert issued["isCurrentlyIssuingAuth"] is False
        assert (await api.post(f"/address/{address}/reservation/{rid}/issue")).status == 400

    async def test_access_times_move_the_issued_window(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock
    ):
        address = (await create(api, keypad_lock))["addressId"]
        rid = (await book(api, address))["reservation"]["id"]
        base = f"/address/{address}/reservation/{rid}"
        assert (await api.post(base + "/issue")).status == 204
        nuki_sim.world.advance(PUSH_DELAY)
        times = {"checkInTime": 14 * 60, "checkOutTime": 11 * 60}  # local time (Berlin, UTC+1)
        assert (await api.post(base + "/update/accesstimes", times)).status == 204
        [listed] = await reservations(api, address)
        assert listed["hasCustomAccessTimes"] is True
        nuki_sim.world.advance(PUSH_DELAY)
        [sim] = (await api.get(f"/_sim/addresses/{address}/reservations")).body
        auth = keypad_lock.device.auths[sim["authorizations"][0]["id"]]
        window = (auth.schedule.allowed_from_date, auth.schedule.allowed_until_date)
        assert [w.isoformat() for w in window] == [
            "2026-01-10T13:00:00+00:00", "2026-01-12T10:00:00+00:00",
        ]  # fmt: skip

    async def test_refusals_change_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, keypad_lock: Lock, bare_lock: Lock
    ):
        bare = (await create(api, bare_lock))["addressId"]
        rid = (await book(api, bare))["reservation"]["id"]
        base = f"/address/{bare}/reservation/{rid}"
        reply = await api.post(base + "/issue")
        assert (reply.status, reply.detail) == (400, invalid("id", rid))  # no keypad lock
        assert (await api.post(base + "/revoke")).status == 400  # nothing issued
        for times in ({}, {"checkInTime": 1440}, {"checkOutTime": True}, [1]):
            assert (await api.post(base + "/update/accesstimes", times)).status == 400
        # custom times that put check-out before check-in on a one-day stay
        one_day = await book(
            api, bare, checkIn="2026-01-10T15:00:00Z", checkOut="2026-01-10T20:00:00Z"
        )
        late = {"checkInTime": 20 * 60, "checkOutTime": 8 * 60}
        one_id = one_day["reservation"]["id"]
        reply = await api.post(f"/address/{bare}/reservation/{one_id}/update/accesstimes", late)
        assert reply.status == 400
        assert all(not r["hasCustomAccessTimes"] for r in await reservations(api, bare))
        keypad = (await create(api, keypad_lock))["addressId"]
        canceled = (await book(api, keypad))["reservation"]["id"]
        sim = await api.post(f"/_sim/addresses/{keypad}/reservations/{canceled}/cancel")
        assert sim.body["reservation"]["state"] == "canceled"
        assert (await api.post(f"/address/{keypad}/reservation/{canceled}/issue")).status == 400
        unknown = await api.post(f"/address/{keypad}/reservation/{UNKNOWN_ID}/issue")
        assert (unknown.status, unknown.detail) == (404, "Address reservation not found")
        assert keypad_lock.cloud.queue == type(keypad_lock.cloud.queue)()

    async def test_other_accounts_reservation_is_403(
        self, api: ApiClient, nuki_sim: RunningSimulator
    ):
        token, theirs = other_account(nuki_sim)
        them = api.with_token(token)
        address = (await create(them, theirs))["addressId"]
        rid = (await book(them, address))["reservation"]["id"]
        for action in ("issue", "revoke"):
            reply = await api.post(f"/address/{address}/reservation/{rid}/{action}")
            assert (reply.status, reply.detail) == (403, "Forbidden")
        assert not theirs.cloud.queue
