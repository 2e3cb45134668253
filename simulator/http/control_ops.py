"""``/_sim``, the control plane: one entry per operation, each one :class:`SimControl` call.

Kept apart from Nuki's operations (no handler is shared), switched off with
``nuki-sim serve --control off``, or guarded by its own token with ``--control-token`` (checked
by :mod:`nuki_sim.simulator.http.front`). Where a missing lock or account and a bad body could
both refuse a request, the lookup comes first, as it always has.
"""

from __future__ import annotations

from typing import Annotated, Any

from nuki_sim.simulator.domain.control import SimControl
from nuki_sim.simulator.domain.control_shapes import (
    SimAccount,
    SimClock,
    SimClockMoved,
    SimDelivery,
    SimDevice,
    SimDeviceReconnected,
    SimFault,
    SimFlushResult,
    SimKeypadResult,
    SimRequest,
    SimReservation,
    SimSettings,
    SimSnapshot,
    SimSyncResult,
    SimToken,
    SimWebhook,
)
from nuki_sim.simulator.domain.describe import OBJECT_ID, Doc
from nuki_sim.simulator.domain.inputs import NewToken
from nuki_sim.simulator.domain.shapes import Smartlock
from nuki_sim.simulator.http import control_parse as cp
from nuki_sim.simulator.http.body import CONTROL_MAX_BYTES
from nuki_sim.simulator.http.control_bodies import (
    AdvanceBody,
    BatteryBody,
    ConnectivityBody,
    FlushBody,
    JamBody,
    KeypadBody,
    NewAccountBody,
    NewLockBody,
    NewTokenBody,
    ReservationBody,
    SetClockBody,
)
from nuki_sim.simulator.http.faults import FAULTS
from nuki_sim.simulator.http.journal import CONTROL_PREFIX, JOURNAL
from nuki_sim.simulator.http.keys import CONTROL, DISPATCHER
from nuki_sim.simulator.http.operations import Area, Body, Call, Operation, PathParam
from nuki_sim.simulator.http.params import DIGITS, query, smartlock_id
from nuki_sim.simulator.http.parse import obj
from nuki_sim.simulator.http.schema import ref

TAG = "Simulator control plane"
P = CONTROL_PREFIX
LOCK = P + "/smartlocks/{smartlockId}"
E400 = "The body is missing, not JSON, or a value is not valid (the message says which)."
E401 = "The simulator was started with --control-token and this request does not carry it."
E404_LOCK = "No such smartlock: `no smartlock …`."
E413 = "The request body is larger than the simulator accepts (64 KiB by default)."
E400_ID = "smartlockId is not a valid int64."
CONTROL_TOKEN_DESCRIPTION = (
    "`Authorization: Bearer <control token>`, needed on `/_sim` only when the simulator was "
    "started with `--control-token`; otherwise the control plane is open."
)
DEVICE_ERRORS = {400: E400, 404: E404_LOCK, 413: E413}


def _body(shape: Any, description: str, *, required: bool = True) -> Body:
    return Body(shape, description, required=required)


# --- calls that read more than one thing ------------------------------------------------------


def reset(ctl: SimControl, call: Call) -> SimClock:
    call.request.app[JOURNAL].clear()
    call.request.app[FAULTS].clear()
    return ctl.reset()


def create_token(ctl: SimControl, call: Call) -> SimToken:
    data = obj(call.body or {})
    scopes = cp.token_scopes(data)
    account_id = ctl.account(call.ids["accountId"])
    return ctl.create_token(account_id, NewToken(scopes, cp.text(data, "name")))


def create_smartlock(ctl: SimControl, call: Call) -> Smartlock:
    data = obj(call.body)
    account_id = ctl.account(cp.account_id(data))
    return ctl.create_smartlock(account_id, cp.new_lock(data))


def connectivity(ctl: SimControl, call: Call) -> SimDeviceReconnected:
    lock = ctl.lock(call.ids["smartlockId"])
    return ctl.connectivity(lock, cp.required_flag(call.body, "online"))


def battery(ctl: SimControl, call: Call) -> SimDevice:
    lock = ctl.lock(call.ids["smartlockId"])
    return ctl.battery(lock, cp.charge(call.body))


def jam(ctl: SimControl, call: Call) -> SimDevice:
    lock = ctl.lock(call.ids["smartlockId"])
    return ctl.jam(lock, cp.required_flag(call.body, "jammed"))


def keypad(ctl: SimControl, call: Call) -> SimKeypadResult:
    lock = ctl.lock(call.ids["smartlockId"])
    return ctl.keypad(lock, cp.keypad_code(call.body))


def book_reservation(ctl: SimControl, call: Call) -> SimReservation:
    ctl.reservations(call.ids["addressId"])  # an unknown address is a 404 whatever the body
    return ctl.book_reservation(call.ids["addressId"], cp.booking(call.body))


def clear_journal(ctl: SimControl, call: Call) -> None:
    call.request.app[JOURNAL].clear()


def clear_faults(ctl: SimControl, call: Call) -> None:
    call.request.app[FAULTS].clear()


async def flush(ctl: SimControl, call: Call) -> SimFlushResult:
    """Wait (real time, bounded) until every delivery that is due now has been attempted."""
    timeout = cp.flush_timeout(call.body)
    drained = await call.request.app[DISPATCHER].drain(timeout)
    return {"drained": drained, "webhooks": ctl.webhooks()}


def _op(
    method: str,
    path: str,
    operation_id: str,
    summary: str,
    description: str,
    call: Any,
    reply: Any,
    reply_text: str,
    errors: dict[int, str],
    **more: Any,
) -> Operation:
    return Operation(
        method, path, operation_id, TAG, summary, description, call, reply=reply,
        reply_text=reply_text, errors={401: E401, **errors}, **more,
    )  # fmt: skip


def _device_event(
    path: str, operation_id: str, summary: str, description: str, call: Any, body: Body
) -> Operation:
    return _op(
        "POST", LOCK + path, operation_id, summary, description, call, SimDevice,
        "The device afterwards.", DEVICE_ERRORS, body=body,
    )  # fmt: skip


Moved = SimClockMoved
OPERATIONS = [
    _op(
        "POST", P + "/reset", "simReset", "Reset the world",
        "Back to the world as it was at start (same seed, demo and clock); also clears the "
        "journal and the fault rules.",
        reset, SimClock, "The clock after the reset.", {},
    ),
    _op(
        "GET", P + "/snapshot", "simSnapshot", "Snapshot the world",
        "Everything, including the agenda and the random generator: restoring it gives a "
        "world that behaves exactly the same from then on.",
        lambda ctl, c: ctl.snapshot(), SimSnapshot, "The snapshot.", {},
    ),
    _op(
        "POST", P + "/restore", "simRestore", "Restore a snapshot",
        "Replace the world with a snapshot taken by GET /_sim/snapshot.",
        lambda ctl, c: ctl.restore(c.body), SimClock, "The clock after the restore.",
        {400: "Not a nuki-sim snapshot, or a damaged one.", 413: E413},
        body=Body(ref("SimSnapshot"), "The snapshot.", limit=CONTROL_MAX_BYTES),
    ),
    _op(
        "POST", P + "/accounts", "simCreateAccount", "Create an account",
        "A new account with a full-scope API token.",
        lambda ctl, c: ctl.create_account(cp.new_account(c.body)), SimAccount,
        "The account and its token.", {400: E400, 413: E413}, status=201,
        body=_body(NewAccountBody, "Optional name and e-mail.", required=False),
    ),
    _op(
        "POST", P + "/accounts/{accountId}/tokens", "simCreateToken", "Create an API token",
        "A new Nuki Web API token for the account, with the given scopes (default: all).",
        create_token, SimToken, "The token.",
        {400: E400 + " Or an unknown scope.", 404: "No such account.", 413: E413},
        status=201, body=_body(NewTokenBody, "Optional scopes and name.", required=False),
    ),
    _op(
        "POST", P + "/smartlocks", "simCreateSmartlock", "Add a smartlock",
        "Add a lock to an account, as the Nuki app would.",
        create_smartlock, Smartlock, "The new lock.",
        {400: E400, 404: "No such account.", 413: E413},
        status=201, body=_body(NewLockBody, "The lock to add."),
    ),
    _op(
        "GET", P + "/config", "simConfig", "Read the settings",
        "The world's SimConfig: its profile (seed or nuki-docs), the propagation delay and "
        "every other setting. Set at start (nuki-sim serve --profile, start_simulator("
        "config=...), the pytest marker) or by restoring a snapshot.",
        lambda ctl, c: ctl.settings(), SimSettings, "The settings.", {},
    ),
    _op(
        "GET", P + "/clock", "simClock", "Read the clock", "The simulated clock.",
        lambda ctl, c: ctl.clock(), SimClock, "The clock.", {},
    ),
    _op(
        "POST", P + "/clock/advance", "simAdvanceClock", "Advance the clock",
        "Move a virtual clock forward; every job that falls due runs at its own time.",
        lambda ctl, c: ctl.advance(cp.seconds(c.body)), Moved, "The clock afterwards.",
        {400: E400 + " Also for a system clock, or more than ten years."},
        body=_body(AdvanceBody, "How far."),
    ),
    _op(
        "POST", P + "/clock/set", "simSetClock", "Set the clock",
        "Move a virtual clock forward to an instant; due jobs run on the way.",
        lambda ctl, c: ctl.set_clock(cp.instant(c.body)), Moved, "The clock afterwards.",
        {400: E400 + " Also for a system clock, a past instant, or more than ten years."},
        body=_body(SetClockBody, "Where to."),
    ),
    _op(
        "POST", LOCK + "/connectivity", "simConnectivity", "Take a lock offline or bring it back",
        "On reconnect the device receives everything queued for it, in order.",
        connectivity, SimDeviceReconnected, "The device afterwards.", DEVICE_ERRORS,
        body=_body(ConnectivityBody, "The new state."),
    ),
    _device_event(
        "/battery", "simBattery", "Set a lock's battery",
        "Set the battery charge; below the critical level batteryCritical turns true.",
        battery, _body(BatteryBody, "The charge."),
    ),
    _device_event(
        "/jam", "simJam", "Jam or free a lock's motor",
        "A jammed motor ends the next action in state 254 (motor blocked).",
        jam, _body(JamBody, "The motor."),
    ),
    _op(
        "POST", LOCK + "/keypad", "simKeypad", "Type a code on a lock's keypad",
        "The lock checks the code against its own authorizations and schedules (works offline "
        "too) and logs the attempt.",
        keypad, SimKeypadResult, "What the lock did.", DEVICE_ERRORS,
        body=_body(KeypadBody, "The code."),
    ),
    _op(
        "POST", LOCK + "/sync", "simSync", "Force a sync",
        "Sync the cloud's copy with the device now, as the daily sync would.",
        lambda ctl, c: ctl.sync(c.ids["smartlockId"]), SimSyncResult, "The outcome.",
        {400: E400_ID, 404: E404_LOCK},
    ),
    _op(
        "GET", LOCK + "/device", "simDevice", "Look at the device",
        "The device's truth (state, authorizations, queue, sync times) beside the cloud's.",
        lambda ctl, c: ctl.device(c.ids["smartlockId"]), SimDevice, "The device.",
        {400: E400_ID, 404: E404_LOCK},
    ),
    _op(
        "GET", P + "/requests", "simRequests", "Read the request journal",
        "The requests the simulator answered, oldest first (control-plane requests only with "
        "includeControl=true).",
        lambda ctl, c: [e.json() for e in c.request.app[JOURNAL].select(c.query)],
        Annotated[list[SimRequest], Doc("Journal entries.")], "The entries.",
        {400: "limit or since is not an integer."},
        query=[
            query("method", {"type": "string"}, "Only this method."),
            query("path", {"type": "string"}, "Only paths matching this glob."),
            query("status", {"type": "string"}, "Only this status, or a class like 4xx."),
            query("includeControl", {"type": "boolean", "default": False}, "Include /_sim."),
            query("since", {"type": "integer"}, "Only entries after this seq."),
            query("limit", {"type": "integer", "default": 1000}, "At most this many (the last)."),
        ],
    ),
    _op(
        "DELETE", P + "/requests", "simClearRequests", "Clear the request journal",
        "Forget every journal entry.", clear_journal, None, "Cleared.", {},
    ),
    _op(
        "GET", P + "/faults", "simFaults", "List fault rules",
        "The active fault injection rules, in the order they are tried.",
        lambda ctl, c: [f.json() for f in c.request.app[FAULTS].rules],
        Annotated[list[SimFault], Doc("Fault rules.")], "The rules.", {},
    ),
    _op(
        "POST", P + "/faults", "simAddFault", "Add a fault rule",
        "Make matching Nuki Web requests (never /_sim) fail: an error status and body, a 429 "
        "with Retry-After, a dropped connection (before the request runs, or after it was "
        "applied), or a real delay before the answer.",
        lambda ctl, c: c.request.app[FAULTS].add(c.body).json(), SimFault, "The rule.",
        {400: E400, 413: E413}, status=201, body=Body(ref("SimFaultCreate"), "The rule."),
    ),
    _op(
        "DELETE", P + "/faults", "simClearFaults", "Remove all fault rules", "No more faults.",
        clear_faults, None, "Removed.", {},
    ),
    _op(
        "GET", P + "/webhooks", "simWebhooks", "List every webhook subscription",
        "All accounts' decentral webhook subscriptions with their delivery state.",
        lambda ctl, c: ctl.webhooks(), Annotated[list[SimWebhook], Doc("Subscriptions.")],
        "The subscriptions.", {},
    ),
    _op(
        "GET", P + "/webhooks/deliveries", "simWebhookDeliveries", "List delivery attempts",
        "Every subscription's delivery attempts, newest first.",
        lambda ctl, c: ctl.deliveries(cp.delivery_query(c.query)),
        Annotated[list[SimDelivery], Doc("Attempts.")], "The attempts.",
        {400: "webhookId or limit is not a number, or id is no known attempt."},
        query=[
            query("webhookId", {"type": "integer"}, "Only this subscription's."),
            query("id", {"type": "string", "pattern": OBJECT_ID}, "Only older attempts."),
            query("limit", {"type": "integer", "minimum": 1, "default": 300}, "At most."),
        ],
    ),
    _op(
        "POST", P + "/webhooks/{webhookId}/reactivate", "simReactivateWebhook",
        "Reactivate a webhook",
        "Reactivate the subscription (and its API key's others); delivery resumes.",
        lambda ctl, c: ctl.reactivate_webhook(c.ids["webhookId"]), SimWebhook,
        "The subscription afterwards.", {404: "No such webhook."},
    ),
    _op(
        "POST", P + "/webhooks/flush", "simFlushWebhooks", "Wait for due deliveries",
        "Wait (real time, bounded) until every delivery that is due now was attempted.",
        flush, SimFlushResult, "Whether everything due was attempted.",
        {400: "timeoutSeconds is not a number in (0, 60].", 413: E413},
        body=_body(FlushBody, "Optional timeout.", required=False),
    ),
    _op(
        "PUT", P + "/addresses/{addressId}/reservations", "simBookReservation",
        "Book a reservation at an address",
        "What a booking platform does at Nuki: a guest's reservation at the address, accepted "
        "and not yet issued (issue it with POST /address/{addressId}/reservation/{id}/issue).",
        book_reservation,
        SimReservation, "The reservation.",
        {400: E400, 404: "No such address: `no address …`.", 413: E413},
        body=_body(ReservationBody, "The booking."), status=201,
    ),
    _op(
        "GET", P + "/addresses/{addressId}/reservations", "simReservations",
        "List an address's reservations with their codes",
        "Each reservation as Nuki lists it, with the guest's keypad code and the "
        "authorizations issued (Nuki would mail the code to the guest).",
        lambda ctl, c: ctl.reservations(c.ids["addressId"]),
        Annotated[list[SimReservation], Doc("Reservations.")], "The reservations.",
        {404: "No such address: `no address …`."},
    ),
    _op(
        "POST", P + "/addresses/{addressId}/reservations/{id}/cancel", "simCancelReservation",
        "Cancel a reservation",
        "The platform cancels the booking: its state becomes canceled and it can no longer be "
        "issued; codes already issued stay until revoked.",
        lambda ctl, c: ctl.cancel_reservation(c.ids["addressId"], c.ids["id"]),
        SimReservation, "The reservation.", {404: "No such address or reservation."},
    ),
]  # fmt: skip

AREA = Area(
    operations=OPERATIONS,
    params={
        "smartlockId": PathParam(DIGITS, smartlock_id),
        "accountId": PathParam(DIGITS, int),
        "webhookId": PathParam(DIGITS, int),
        "addressId": PathParam(DIGITS, int),
        "id": PathParam("[^/]+", str),
    },
    caller=lambda request: request.app[CONTROL],
    allow=lambda caller, scopes: None,
    security=lambda op: [{}, {"controlToken": []}],  # open unless started with --control-token
    faults=False,
)
