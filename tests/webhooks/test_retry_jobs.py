"""Webhook retries are scheduler jobs: one path for time (clock, scheduler, job).

Pure domain, no HTTP: a failed attempt puts a ``WebhookRetry`` on the agenda at the item's
due time; running it wakes the dispatcher (the world's listeners) exactly then and not
before; a snapshot from before retries were jobs gets its retry back on the agenda.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.clock import VirtualClock
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.inputs import Registration
from nuki_sim.simulator.domain.outbox import WebhookRetry
from nuki_sim.simulator.domain.world import World

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FEATURES = ["DEVICE_MASTERDATA"]
URL = "http://127.0.0.1:9/hook"


def failing_world(config: SimConfig | None = None) -> tuple[World, int, list[str]]:
    """A world with one subscription whose first delivery failed; and a log of wake-ups."""
    world = World(VirtualClock(T0), seed=3, config=config)
    account = world.add_account(email="a@example.com", name="A")
    token = world.add_token(account.account_id)
    world.scheduler.clear()  # no auto syncs: only what the webhooks put on the agenda
    sub = world.subscribe(token, Registration(URL, tuple(FEATURES)))
    lock = world.add_lock(account.account_id, name="Door")
    world.scheduler.clear()
    world.notify_masterdata(lock)
    woken: list[str] = []
    world.listeners.append(lambda: woken.append(str(world.now())))
    (item,) = sub.outbox
    assert world.outbox.due_delivery(sub.id) == (sub, item)
    world.outbox.record_attempt(sub.id, item.seq, status=500, duration_ms=1)
    return world, sub.id, woken


def retries(world: World) -> list[tuple[datetime, Any]]:
    return [(d.at, d.job) for d in world.scheduler.pending() if isinstance(d.job, WebhookRetry)]


def test_a_failed_attempt_puts_its_retry_on_the_agenda() -> None:
    """The retry is a job at the item's due time, visible as the next due instant."""
    world, sub_id, _ = failing_world()
    due = T0 + timedelta(seconds=SimConfig().webhook_retry_first)
    assert retries(world) == [(due, WebhookRetry(sub_id))]
    assert world.scheduler.next_due() == due
    assert world.subscriptions[sub_id].outbox[0].due == due


def test_the_retry_wakes_the_dispatcher_when_due_and_not_before() -> None:
    """Advancing short of the due time wakes nobody for it; reaching it runs the job."""
    world, sub_id, woken = failing_world()
    world.advance(timedelta(seconds=9))
    assert world.outbox.due_delivery(sub_id) is None
    before = len(woken)  # advancing itself says "time moved" once
    ran = world.advance(timedelta(seconds=1))
    assert [type(d.job) for d in ran] == [WebhookRetry]
    assert len(woken) == before + 2  # the retry job, then "time moved"
    assert woken[before] == str(T0 + timedelta(seconds=10))
    assert world.outbox.due_delivery(sub_id) is not None


def test_a_caught_up_retry_wakes_only_when_something_ran() -> None:
    """catch_up wakes the listeners when a job ran, and stays quiet otherwise."""
    world, _, woken = failing_world()
    world.catch_up()
    assert woken == []
    assert isinstance(world.clock, VirtualClock)
    world.clock.move_to(T0 + timedelta(seconds=10))
    assert [type(d.job) for d in world.catch_up()] == [WebhookRetry]
    assert woken


def test_a_sub_millisecond_retry_runs_when_its_item_is_due() -> None:
    """A retry delay finer than the world's millisecond grain rounds the job up, never down."""
    world, sub_id, _ = failing_world(SimConfig(webhook_retry_first=0.0015))
    ((at, _),) = retries(world)
    assert at == T0 + timedelta(milliseconds=2)
    world.advance(timedelta(milliseconds=2))
    assert world.outbox.due_delivery(sub_id) is not None


def test_no_retry_is_scheduled_for_a_deactivated_subscription() -> None:
    """The failure that deactivates a subscription leaves no retry behind."""
    world, sub_id, _ = failing_world(SimConfig(webhook_deactivate_after=1))
    assert not world.subscriptions[sub_id].active
    assert retries(world) == []


def test_a_snapshot_round_trip_keeps_the_retry_once() -> None:
    """A snapshot carries the retry job; restoring it adds none."""
    world, _, _ = failing_world()
    taken = json.loads(json.dumps(snapshot.snapshot(world)))
    restored = World(VirtualClock(T0), seed=9)
    snapshot.restore(restored, copy.deepcopy(taken))
    assert retries(restored) == retries(world)
    assert snapshot.snapshot(restored) == taken


def test_a_snapshot_from_before_retries_were_jobs_gets_its_retry_back() -> None:
    """An older file knows the due time only: restoring it puts the retry on the agenda."""
    world, sub_id, _ = failing_world()
    taken = json.loads(json.dumps(snapshot.snapshot(world)))
    for pair in taken["state"]["$dict"]:
        if pair[0] == "agenda":
            pair[1] = [e for e in pair[1] if "WebhookRetry" not in json.dumps(e)]
    restored = World(VirtualClock(T0), seed=9)
    snapshot.restore(restored, taken)
    assert [job for _, job in retries(restored)] == [WebhookRetry(sub_id)]
    assert retries(restored)[0][0] == restored.subscriptions[sub_id].outbox[0].due
    restored.advance(timedelta(seconds=10))
    assert restored.outbox.due_delivery(sub_id) is not None
