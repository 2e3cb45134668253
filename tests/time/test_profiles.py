"""The two profiles in both time modes: the same script, two clouds.

``seed`` (the specification of record): a code the API created works on the lock after the
push delay and is listed, with its DEVICE_AUTHS, only at the next sync; the cloud checks
duplicates and capacity against what it lists. ``nuki-docs`` (Nuki's documentation): listed,
and DEVICE_AUTHS sent, ``propagation_seconds`` after the lock applied it; duplicates and
capacity are checked against everything the cloud knows, pending writes included.
"""

from __future__ import annotations

from typing import Any

import pytest

from nuki_sim.simulator.domain import messages
from tests.time.helpers import CFG, DAY, HOUR, UNKNOWN_CODE, Rig
from tests.webhooks.receiver import Receiver

PROPAGATION = 40.0
DOCS = pytest.mark.nuki_sim(profile="nuki-docs", propagation_seconds=PROPAGATION)
SEED = pytest.mark.nuki_sim(profile="seed")
BOTH = pytest.mark.parametrize(
    "profile",
    [pytest.param("seed", marks=SEED), pytest.param("nuki-docs", marks=DOCS)],
)
GUEST, GUEST_CODE = "Guest Anna", 345_678
OTHER, OTHER_CODE = "Cleaner", 567_891
NEW_CODE = 456_789
CAPACITY = 3


async def auth_hooks(rig: Rig, receiver: Receiver) -> list[dict[str, Any]]:
    """The DEVICE_AUTHS payloads that arrived, once everything due is delivered (a Nuki
    request first, so the freezegun mode catches the scheduler up)."""
    assert (await rig.api.get("/smartlock")).status == 200
    assert (await rig.ctl.post("/webhooks/flush", {"timeoutSeconds": 5}))["drained"]
    return [p for p in receiver.payloads() if p.get("feature") == "DEVICE_AUTHS"]


async def subscribe(rig: Rig, receiver: Receiver) -> None:
    body = {"webhookUrl": receiver.url, "webhookFeatures": ["DEVICE_AUTHS"]}
    assert (await rig.api.put("/api/decentralWebhook", body)).status == 200


def names(hooks: list[dict[str, Any]]) -> list[tuple[bool, str]]:
    return [(h["deleted"], h["smartlockAuth"]["name"]) for h in hooks]


@BOTH
async def test_a_created_code_is_listed_with_its_webhook_when_the_profile_says(
    rig: Rig, profile: str
):
    """seed: listed and DEVICE_AUTHS only at the daily sync; nuki-docs: propagation_seconds
    after the lock applied the code, not a second before."""
    async with Receiver() as receiver:
        await subscribe(rig, receiver)
        lock = await rig.new_lock()
        assert (await rig.create_code(lock, GUEST, GUEST_CODE)).status == 204

        await rig.advance(CFG.push_delay)
        assert await rig.keypad(lock, GUEST_CODE) == (True, "granted")
        assert await rig.codes(lock) == []
        await rig.advance(PROPAGATION - 1)
        assert await rig.codes(lock) == []
        assert await auth_hooks(rig, receiver) == []

        await rig.advance(1)
        listed = await rig.codes(lock)
        hooks = await auth_hooks(rig, receiver)
        if profile == "seed":
            assert listed == []
            assert hooks == []
            await rig.advance(DAY + HOUR)  # past the lock's daily auto sync
            listed = await rig.codes(lock)
            hooks = await auth_hooks(rig, receiver)
        assert [(a["name"], a["code"]) for a in listed] == [(GUEST, GUEST_CODE)]
        assert "operationId" not in listed[0]
        assert names(hooks) == [(False, GUEST)]
        assert hooks[0]["smartlockAuth"]["id"] == listed[0]["id"]
        by_id = await rig.api.get(f"/smartlock/{lock}/auth/{listed[0]['id']}")
        assert by_id.status == 200
        everywhere = await rig.api.get("/smartlock/auth", params={"types": "13"})
        assert [a["id"] for a in everywhere.body if a["smartlockId"] == lock] == [listed[0]["id"]]

        await rig.advance(DAY)  # the next sync lists nothing new and sends nothing again
        assert names(await auth_hooks(rig, receiver)) == [(False, GUEST)]


@DOCS
async def test_updates_and_deletes_propagate_too(rig: Rig):
    """nuki-docs: an update and a delete are listed propagation_seconds after the lock ran them."""
    async with Receiver() as receiver:
        lock = await rig.new_lock()
        kept = await rig.add_listed_code(lock, GUEST, GUEST_CODE)
        gone = await rig.add_listed_code(lock, OTHER, OTHER_CODE)
        await subscribe(rig, receiver)
        assert (
            await rig.update_auth(lock, kept, {"name": "Anna B", "code": NEW_CODE})
        ).status == 204
        assert (await rig.delete_auth(lock, gone)).status == 204

        await rig.advance(CFG.push_delay + PROPAGATION - 1)
        assert await rig.keypad(lock, OTHER_CODE) == (False, UNKNOWN_CODE)
        assert {a["name"] for a in await rig.codes(lock)} == {GUEST, OTHER}

        await rig.advance(1)
        assert [(a["id"], a["name"], a["code"]) for a in await rig.codes(lock)] == [
            (kept, "Anna B", NEW_CODE)
        ]
        assert sorted(names(await auth_hooks(rig, receiver))) == [(False, "Anna B"), (True, OTHER)]


@BOTH
async def test_a_duplicate_of_a_pending_code(rig: Rig, profile: str):
    """seed: accepted, and the lock refuses it (listed with its error at the sync);
    nuki-docs: 409 at once, before the first create even reached the lock, and after."""
    lock = await rig.new_lock()
    assert (await rig.create_code(lock, GUEST, GUEST_CODE)).status == 204
    again = await rig.create_code(lock, "Copy", GUEST_CODE)
    if profile == "nuki-docs":
        assert again.status == 409
        assert again.detail == messages.DUPLICATE_CODE
        await rig.advance(CFG.push_delay)  # on the lock, not yet listed: still known
        late = await rig.create_code(lock, "Copy", GUEST_CODE)
        assert (late.status, late.detail) == (409, messages.DUPLICATE_CODE)
        assert (await rig.device(lock))["queue"] == []
        return
    assert again.status == 204
    await rig.advance(CFG.push_delay)
    await rig.sync(lock)
    listing = {a["name"]: a for a in await rig.codes(lock)}
    assert "error" not in listing[GUEST]
    assert "error" in listing["Copy"]


@DOCS
async def test_a_code_update_to_a_pending_code_is_refused_and_a_pending_delete_frees_it(rig: Rig):
    """nuki-docs: an update to a code a queued create claims is 409; a code whose delete is
    queued may be created again (the lock runs the delete first)."""
    lock = await rig.new_lock()
    listed = await rig.add_listed_code(lock, GUEST, GUEST_CODE)
    assert (await rig.create_code(lock, OTHER, OTHER_CODE)).status == 204
    clash = await rig.update_auth(lock, listed, {"code": OTHER_CODE})
    assert (clash.status, clash.detail) == (409, messages.DUPLICATE_CODE)

    assert (await rig.delete_auth(lock, listed)).status == 204
    assert (await rig.create_code(lock, "Anna again", GUEST_CODE)).status == 204
    await rig.advance(CFG.push_delay + PROPAGATION)
    listing = {a["name"]: a for a in await rig.codes(lock)}
    assert set(listing) == {OTHER, "Anna again"}
    assert not any("error" in a for a in listing.values())


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param("seed", marks=pytest.mark.nuki_sim(config={"max_keypad_codes": CAPACITY})),
        pytest.param(
            "nuki-docs",
            marks=pytest.mark.nuki_sim(profile="nuki-docs", config={"max_keypad_codes": CAPACITY}),
        ),
    ],
)
async def test_capacity_counts_pending_creates_under_nuki_docs(rig: Rig, profile: str):
    """seed: one code more than the lock holds is accepted (the lock refuses it); nuki-docs:
    409 at once, the queued creates counted."""
    lock = await rig.new_lock()
    for i in range(CAPACITY):
        assert (await rig.create_code(lock, f"Guest {i}", 111_111 * (i + 2))).status == 204
    more = await rig.create_code(lock, "One more", 987_654)
    if profile == "nuki-docs":
        assert (more.status, more.detail) == (409, messages.NO_SPACE)
    else:
        assert more.status == 204
    await rig.advance(CFG.push_delay)
    assert len(await rig.device_codes(lock)) == CAPACITY


@DOCS
async def test_an_offline_lock_lists_the_change_at_reconnect_not_after_the_delay(rig: Rig):
    """nuki-docs: a write to an offline lock waits for it; the reconnect lists it at once."""
    lock = await rig.new_lock()
    await rig.set_online(lock, False)
    assert (await rig.create_code(lock, GUEST, GUEST_CODE)).status == 204
    await rig.advance(CFG.push_delay + PROPAGATION + 1)
    assert await rig.codes(lock) == []
    assert await rig.device_codes(lock) == {}

    await rig.set_online(lock, True)

    assert [a["name"] for a in await rig.codes(lock)] == [GUEST]


@pytest.mark.nuki_sim(profile="nuki-docs", propagation_seconds=0)
async def test_no_propagation_delay_lists_the_code_as_the_lock_applies_it(rig: Rig):
    lock = await rig.new_lock()
    assert (await rig.create_code(lock, GUEST, GUEST_CODE)).status == 204
    await rig.advance(CFG.push_delay - 1)
    assert await rig.codes(lock) == []
    await rig.advance(1)
    assert [a["name"] for a in await rig.codes(lock)] == [GUEST]


@DOCS
async def test_the_settings_show_the_profile(rig: Rig):
    settings = await rig.ctl.get("/config")
    assert (settings["profile"], settings["propagationSeconds"]) == ("nuki-docs", PROPAGATION)
    assert settings["settings"]["push_delay"] == CFG.push_delay


@DOCS
async def test_two_quick_updates_are_listed_together_when_the_second_propagates(rig: Rig):
    """nuki-docs: nothing is listed before its delay is up; the first update's propagation
    waits for the second (same authorization), which lists the lock's copy once."""
    async with Receiver() as receiver:
        lock = await rig.new_lock()
        auth_id = await rig.add_listed_code(lock, GUEST, GUEST_CODE)
        await subscribe(rig, receiver)
        assert (await rig.update_auth(lock, auth_id, {"name": "First"})).status == 204
        await rig.advance(10)  # applied at 3 s
        assert (await rig.update_auth(lock, auth_id, {"name": "Second"})).status == 204

        await rig.advance(PROPAGATION - 7)  # the first change's delay is up: 3 s + PROPAGATION
        assert [a["name"] for a in await rig.codes(lock)] == [GUEST]
        assert await auth_hooks(rig, receiver) == []

        await rig.advance(10)  # the second change's delay is up: 13 s + PROPAGATION
        assert [a["name"] for a in await rig.codes(lock)] == ["Second"]
        assert names(await auth_hooks(rig, receiver)) == [(False, "Second")]
