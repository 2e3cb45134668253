"""Nuki Web's operations for advanced actions and asynchronous authorizations (requestId, API-triggered webhooks), shared keys (Swagger 4.18.0).

Joined into the API by :mod:`nuki_sim.simulator.http.openapi`: ``OPERATIONS`` go into the
Nuki area (a Nuki token, scopes checked by the table, path ids of ``params.NUKI_PATH``);
``AREAS`` are areas of their own (their own path ids or way of identifying the caller).

Each advanced call is checked and queued like its plain twin (``POST …/action``,
``PUT /smartlock/auth``) and answers ``{"requestId": …}`` instead of 204; the outcome follows
as an API-triggered webhook (:mod:`nuki_sim.simulator.domain.advanced`).
"""

from __future__ import annotations

from nuki_sim.simulator.domain import wire
from nuki_sim.simulator.domain.api import Session
from nuki_sim.simulator.domain.codes import Action
from nuki_sim.simulator.domain.shapes import SmartlockAuth
from nuki_sim.simulator.http import advanced_bodies, advanced_parse, parse
from nuki_sim.simulator.http.advanced_bodies import AdvancedConfirmationResponse
from nuki_sim.simulator.http.nuki_ops import (
    ACTION,
    AUTH,
    E400_BODY,
    E401,
    E413,
    E423_LOCK,
    LOCK,
    LOCK_READ,
)
from nuki_sim.simulator.http.operations import Area, Body, Call, Operation
from nuki_sim.simulator.http.schema import ref

TAG = "Advanced API"
TAGS: list[dict[str, str]] = [
    {
        "name": TAG,
        "description": "Actions and authorizations answered with a requestId; the outcome "
        "comes later as an API-triggered webhook.",
    }
]
ANSWER = (
    " Answers 200 with a requestId at once. When the outcome is known, an API-triggered "
    "webhook (no `feature`; `type`, `requestId`, `success`, on failure `detail` with the "
    "device's hex `errorCode`) goes to every decentral webhook of the account. A command "
    "that has not reached its lock 60 simulated seconds after the push delay is taken back "
    "and fails with `ff` (device offline)."
)
ACTION_ANSWER = (
    " Queued like POST /smartlock/{smartlockId}/action (423 while the lock is busy): the lock "
    "runs it after the push delay; a jammed motor fails with errorCode `42`." + ANSWER
)
CONFIRMED = "The requestId of the webhook that will report the outcome."
E404_LOCKS = "One of the locks does not exist: `Smartlock not found`."
E403_LOCKS = "One of the locks belongs to another account: `Forbidden`."


def confirmation(request_id: str) -> AdvancedConfirmationResponse:
    return {"requestId": request_id}


def action(api: Session, call: Call) -> AdvancedConfirmationResponse:
    verb, option = parse.action(call.body)
    return confirmation(api.advanced_action(call.ids["smartlockId"], verb, option))


def create_auths(api: Session, call: Call) -> AdvancedConfirmationResponse:
    locks = api.locks(parse.smartlock_ids(call.body))
    request = advanced_parse.auth_advanced_create(call.body)
    return confirmation(api.advanced_create_auths(locks, request))


def shared_key(api: Session, call: Call) -> list[SmartlockAuth]:
    lock = api.lock(call.ids["smartlockId"])
    auth, operation_id = api.create_shared_key_auth(
        lock, advanced_parse.shared_key_create(call.body)
    )
    return [wire.smartlock_auth(auth, operation_id=operation_id)]


def _verb(operation_id: str, verb: str, value: Action) -> Operation:
    return Operation(
        "POST", f"{LOCK}/action/{verb}/advanced", operation_id, TAG,
        f"{verb.capitalize()} a smartlock, with a webhook for the outcome",
        f"Like POST /smartlock/{{smartlockId}}/action/advanced with action {int(value)} "
        f"({verb}); no body." + ACTION_ANSWER,
        lambda api, c: confirmation(api.advanced_action(c.ids["smartlockId"], value)),
        scopes=ACTION, reply=AdvancedConfirmationResponse, reply_text=CONFIRMED,
        errors={**LOCK_READ, 423: E423_LOCK},
    )  # fmt: skip


OPERATIONS: list[Operation] = [
    Operation(
        "POST", LOCK + "/action/advanced", "actionSmartlockAdvanced", TAG,
        "Run a lock action, with a webhook for the outcome",
        "Unlock, lock, unlatch, lock 'n' go or lock 'n' go with unlatch; the webhook's type "
        "is UnlockAction, LockAction, UnlatchAction, LockNGoAction or "
        "LockNGoWithUnlatchAction." + ACTION_ANSWER,
        action, scopes=ACTION, body=Body(ref("SmartlockAction"), "The action to run."),
        reply=AdvancedConfirmationResponse, reply_text=CONFIRMED,
        errors={
            **LOCK_READ, 400: E400_BODY + " action is 1 to 5, option 0 to 7.", 413: E413,
            423: E423_LOCK,
        },
    ),
    _verb("lockSmartlockAdvanced", "lock", Action.LOCK),
    _verb("unlockSmartlockAdvanced", "unlock", Action.UNLOCK),
    Operation(
        "PUT", "/smartlock/auth/advanced", "createAuthsAdvanced", TAG,
        "Create an app authorization on several smartlocks asynchronously",
        "An app authorization (type 0) for the account user on each lock in smartlockIds, "
        "checked like PUT /smartlock/auth (every lock before any is changed) and queued for "
        "each lock. One webhook of type AuthCreation reports all locks: `success` true when "
        "every lock took it, else false with one `detail` entry (smartlockId, errorCode, the "
        "authorization's id) per lock that failed." + ANSWER,
        create_auths, scopes=AUTH,
        body=Body(ref("SmartlocksAuthAdvancedCreate"), "The new authorization and its locks."),
        reply=AdvancedConfirmationResponse, reply_text=CONFIRMED,
        errors={
            400: E400_BODY + " smartlockIds is a non-empty list of lock ids; name and "
            "accountUserId (a user of the account) are required.",
            401: E401, 403: E403_LOCKS, 404: E404_LOCKS, 413: E413,
        },
    ),
    Operation(
        "POST", LOCK + "/auth/advanced/sharedkey", "createSharedKeyAuth",
        "Smartlock authorizations", "Create an app authorization with a shared key",
        "A new app authorization (type 0) whose shared key the cloud generates and keeps. "
        "Queued for the lock like PUT /smartlock/{smartlockId}/auth; the reply lists the new "
        "authorization with its pending `operationId` (the lock's listing shows it after "
        "the next sync).",
        shared_key, scopes=AUTH,
        body=Body(ref("SmartlockAuthWithSharedKeyCreate"), "The new authorization."),
        reply=list[SmartlockAuth], reply_text="The new authorization.",
        errors={
            **LOCK_READ, 400: E400_BODY + " A name is required; accountUserId, if given, is "
            "a user of the account.", 413: E413,
        },
    ),
]  # fmt: skip
AREAS: list[Area] = []
COMPONENTS: tuple[type, ...] = (
    advanced_bodies.AdvancedConfirmationResponse,
    advanced_bodies.SmartlocksAuthAdvancedCreate,
    advanced_bodies.SmartlockAuthWithSharedKeyCreate,
)
"""Named response shapes other schemas refer to (written open: Nuki may add fields)."""
