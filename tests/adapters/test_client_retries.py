"""The Nuki Web client under injected faults: what it retries, how long it waits, what it maps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nuki_sim.adapters.nuki.client import RetryPolicy
from nuki_sim.adapters.traits import ActionName, ActionStatus, TraitErrorCode, TraitName
from tests.adapters.conftest import Rig

PINS, LOCK = TraitName.BETA_PIN_CODE_CREDENTIALS, TraitName.LOCK
NEW_PIN = {"pinCodeCredential": {"pinCode": "345678", "name": "Guest"}}
UNLOCK = {"lock": False}
POLICY = RetryPolicy()
RETRY_AFTER = 2
LONG_RETRY_AFTER = 120
DETAIL = "injected by the test"
PUSH = timedelta(seconds=10)
DROPPED = 499  # what the journal records for a connection the simulator aborted


async def fault(rig: Rig, method: str, path: str, **rule: Any) -> None:
    await rig.control("/faults", {"method": method, "path": path, **rule})


def backoff_bounds(attempt: int) -> tuple[float, float]:
    """The jittered backoff before retry ``attempt`` lies between half and all of the delay."""
    delay = min(POLICY.ceiling, POLICY.base * 2 ** (attempt - 1))
    return delay / 2, delay


async def test_get_is_retried_on_503(vrig: Rig) -> None:
    """Two 503s on GET /smartlock are retried with backoff; the third attempt succeeds."""
    await fault(vrig, "GET", "/smartlock", status=503, count=2)
    await vrig.clear_journal()
    await vrig.adapter.refresh()
    assert [e["status"] for e in await vrig.journal("GET", "/smartlock")] == [503, 503, 200]
    assert len(vrig.sleep.delays) == 2
    for attempt, delay in enumerate(vrig.sleep.delays, start=1):
        low, high = backoff_bounds(attempt)
        assert low <= delay <= high, (attempt, delay)


@pytest.mark.parametrize("drops", [1, 3])
async def test_dropped_connection_on_get_is_retried(vrig: Rig, drops: int) -> None:
    """A GET whose connection is dropped (once or repeatedly) is sent again until it succeeds."""
    await fault(vrig, "GET", "/smartlock", drop=True, count=drops)
    await vrig.clear_journal()
    await vrig.adapter.refresh()
    statuses = [e["status"] for e in await vrig.journal("GET", "/smartlock")]
    assert statuses == [DROPPED] * drops + [200]


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [(RETRY_AFTER, RETRY_AFTER), (LONG_RETRY_AFTER, POLICY.max_retry_after)],
)
async def test_429_waits_as_retry_after_says(vrig: Rig, retry_after: int, expected: float) -> None:
    """A 429 is retried after Retry-After seconds (capped), even on a non-idempotent POST."""
    await fault(vrig, "POST", "/smartlock/*/action/unlock", retryAfter=retry_after, count=1)
    await vrig.clear_journal()
    action = await vrig.execute(LOCK, ActionName.SET_LOCKED, UNLOCK)
    assert action.status is ActionStatus.PENDING, action.error
    assert vrig.sleep.delays == [expected]
    assert [e["status"] for e in await vrig.journal("POST")] == [429, 204]


async def test_423_is_retried_and_the_action_resolves(vrig: Rig) -> None:
    """Nuki's 423 (another operation running) on an unlock is retried, and the unlock resolves."""
    await fault(vrig, "POST", "/smartlock/*/action/unlock", status=423, count=1)
    await vrig.clear_journal()
    action = await vrig.execute(LOCK, ActionName.SET_LOCKED, UNLOCK)
    assert action.status is ActionStatus.PENDING, action.error
    assert [e["status"] for e in await vrig.journal("POST")] == [423, 204]
    await vrig.pass_time(PUSH)
    assert action.status is ActionStatus.RESOLVED


async def test_create_is_not_retried_on_503(vrig: Rig) -> None:
    """A PUT that may have created the code is never repeated: one request, then FAILED."""
    await fault(vrig, "PUT", "/smartlock/*/auth", status=503, count=1)
    await vrig.clear_journal()
    action = await vrig.execute(PINS, ActionName.CREATE_PIN, NEW_PIN)
    assert action.status is ActionStatus.FAILED
    assert action.error is not None
    assert (action.error.code, action.error.rule) == (TraitErrorCode.EXECUTION, "nuki-503")
    assert len(await vrig.journal("PUT")) == 1
    assert vrig.sleep.delays == []


@pytest.mark.parametrize(
    ("method", "path", "action", "params"),
    [
        ("PUT", "/smartlock/*/auth", ActionName.CREATE_PIN, NEW_PIN),
        ("POST", "/smartlock/*/action/unlock", ActionName.SET_LOCKED, UNLOCK),
    ],
    ids=["create", "unlock"],
)
async def test_write_is_not_resent_after_a_dropped_connection(
    vrig: Rig, method: str, path: str, action: ActionName, params: dict
) -> None:
    """A write whose connection dropped may have reached Nuki: never repeated, and PENDING
    (not FAILED) until Nuki reports an outcome or the action times out."""
    await fault(vrig, method, path, drop=True, count=1)
    await vrig.clear_journal()
    trait = LOCK if action is ActionName.SET_LOCKED else PINS
    done = await vrig.execute(trait, action, params)
    sent = await vrig.journal(method)
    assert len(sent) == 1, (
        f"the {method} was sent {len(sent)} times: a dropped {method} must not be repeated "
        "(aiohttp resends PUT/DELETE/GET once by itself on a dropped connection)"
    )
    assert done.status is ActionStatus.PENDING, done.error
    assert done.error is None


async def test_delete_gives_up_after_every_attempt(vrig: Rig) -> None:
    """A DELETE is retried on 503 up to the policy's attempts, then the action FAILS."""
    target = next(iter(vrig.adapter.records[vrig.device_id()].known))
    await fault(vrig, "DELETE", "/smartlock/*/auth/*", status=503)
    await vrig.clear_journal()
    action = await vrig.execute(PINS, ActionName.DELETE_PIN, {"id": target})
    assert action.status is ActionStatus.FAILED
    assert len(await vrig.journal("DELETE")) == POLICY.attempts
    assert len(vrig.sleep.delays) == POLICY.attempts - 1


@pytest.mark.parametrize(
    ("status", "outcome", "code"),
    [
        (400, ActionStatus.REJECTED, TraitErrorCode.VALIDATION),
        (404, ActionStatus.REJECTED, TraitErrorCode.VALIDATION),
        (409, ActionStatus.REJECTED, TraitErrorCode.VALIDATION),
        (422, ActionStatus.REJECTED, TraitErrorCode.VALIDATION),
        (401, ActionStatus.FAILED, TraitErrorCode.EXECUTION),
        (403, ActionStatus.FAILED, TraitErrorCode.EXECUTION),
        (500, ActionStatus.FAILED, TraitErrorCode.EXECUTION),
        (502, ActionStatus.FAILED, TraitErrorCode.EXECUTION),
    ],
)
async def test_nuki_errors_map_to_trait_outcomes(
    vrig: Rig, status: int, outcome: ActionStatus, code: TraitErrorCode
) -> None:
    """Refusals of the request are REJECTED ValidationError, the rest FAILED ExecutionError."""
    body = {"detailMessage": DETAIL, "stackTrace": [], "suppressedExceptions": []}
    await fault(vrig, "PUT", "/smartlock/*/auth", status=status, body=body, count=1)
    await vrig.clear_journal()
    action = await vrig.execute(PINS, ActionName.CREATE_PIN, NEW_PIN)
    assert action.status is outcome
    assert action.error is not None
    assert (action.error.code, action.error.rule) == (code, f"nuki-{status}")
    assert DETAIL in action.error.message
    assert len(await vrig.journal("PUT")) == 1
    assert vrig.adapter.pending.get(vrig.device_id(), []) == [], "a failed send is not pending"
