"""Callbacks: every event POSTed to a registered URL, in order, with bounded retries."""

from __future__ import annotations

import asyncio

from tests.service.conftest import CALLBACK_ATTEMPTS, CALLBACK_BASE, Harness, Sink

UNLOCK = ("Lock", "setLocked", {"lock": False})
LOCK = ("Lock", "setLocked", {"lock": True})


async def test_a_callback_receives_the_same_events_in_order(svc: Harness):
    """From registration on, the receiver gets exactly what GET /events shows, in order."""
    async with Sink() as sink:
        mark = await svc.last_seq()
        reply = await svc.request("POST", "/callbacks", {"url": sink.url})
        assert reply.status == 201
        assert reply.body["cursor"] == mark
        assert (await svc.request("POST", "/callbacks", {"url": sink.url})).status == 200
        assert (await svc.act(svc.keypad_lock, *UNLOCK)).status == 202
        await svc.advance(10)
        assert await svc.service.callbacks.drain()
        expected = await svc.events(after=mark)
        assert len(expected) == 3
        assert sink.received == expected
        [listed] = (await svc.request("GET", "/callbacks")).body["callbacks"]
        assert (listed["delivered"], listed["failed"], listed["cursor"]) == (3, 0, mark + 3)


async def test_deleting_a_callback_stops_only_that_one(svc: Harness):
    async with Sink() as kept, Sink() as dropped:
        for sink in (kept, dropped):
            assert (await svc.request("POST", "/callbacks", {"url": sink.url})).status == 201
        reply = await svc.request("DELETE", f"/callbacks?url={dropped.url}")
        assert reply.status == 204
        mark = await svc.last_seq()
        await svc.act(svc.keypad_lock, *UNLOCK)
        await svc.advance(10)
        assert await svc.service.callbacks.drain()
        assert kept.received == await svc.events(after=mark)
        assert dropped.attempts == 0
        assert (await svc.request("DELETE", "/callbacks")).status == 204
        assert (await svc.request("GET", "/callbacks")).body == {"callbacks": []}


async def test_failed_posts_are_retried_with_backoff_then_given_up(svc: Harness):
    """Two 500s: the third attempt delivers. Three 500s: that event is skipped, counted, and
    the next one still goes out; seqs stay in order."""
    async with Sink(statuses=[500] * (CALLBACK_ATTEMPTS - 1)) as sink:
        reply = await svc.request("POST", "/callbacks", {"url": sink.url, "after": 0})
        assert reply.body["cursor"] == 0
        assert await svc.service.callbacks.drain()
        everything = await svc.events()
        assert sink.received == everything
        assert svc.delays == [CALLBACK_BASE * 2**i for i in range(CALLBACK_ATTEMPTS - 1)]

        sink.statuses = [500] * CALLBACK_ATTEMPTS
        await svc.act(svc.keypad_lock, *UNLOCK)
        await svc.advance(10)
        assert await svc.service.callbacks.drain()
        [listed] = (await svc.request("GET", "/callbacks")).body["callbacks"]
        assert listed["failed"] == 1
        assert "HTTP 500" in listed["lastError"]
        after = await svc.events(after=len(everything))
        assert sink.received == everything + after[1:]  # the queue event was given up on


async def test_a_stuck_receiver_never_blocks_actions(svc: Harness):
    """While the receiver holds its answer, actions and webhooks go on; it catches up later."""
    async with Sink(hold=asyncio.Event()) as sink:
        await svc.request("POST", "/callbacks", {"url": sink.url})
        mark = await svc.last_seq()
        first = await asyncio.wait_for(svc.act(svc.keypad_lock, *UNLOCK), 2.0)
        assert first.status == 202
        await svc.advance(10)
        assert (await svc.request("GET", f"/actions/{first.body['id']}")).body[
            "status"
        ] == "RESOLVED"
        second = await asyncio.wait_for(svc.act(svc.keypad_lock, *LOCK), 2.0)
        assert second.status == 202
        assert (sink.attempts, sink.received) == (1, [])  # the first POST is being held
        assert sink.hold is not None
        sink.hold.set()
        assert await svc.service.callbacks.drain()
        assert sink.received == await svc.events(after=mark)
