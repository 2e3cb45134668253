"""The control plane's JSON shapes (``/_sim``), declared once like Nuki's in ``shapes``.

:class:`nuki_sim.simulator.domain.control.SimControl`, the request journal and the fault
rules build these dicts; the OpenAPI document derives the ``Sim…`` schemas from them.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Any, Literal, NotRequired, TypedDict

from nuki_sim.simulator.domain.address_shapes import AddressReservation
from nuki_sim.simulator.domain.codes import SCOPES
from nuki_sim.simulator.domain.describe import OBJECT_ID, Doc, Raw, doc, instant
from nuki_sim.simulator.domain.shapes import DecentralWebhook, SmartlockAuth, SmartlockState

Scope = Annotated[str, Raw({"type": "string", "enum": sorted(SCOPES)})]


class SimSnapshot(TypedDict):
    """A lossless snapshot of the whole world (opaque; restore it as is)."""

    format: Annotated[Literal["nuki-sim/1"], Doc("Snapshot format.")]
    state: Annotated[dict[str, Any], Doc("The encoded world state.")]


class SimClock(TypedDict):
    """The simulated clock."""

    now: Annotated[str, instant("The simulated now.")]
    kind: Annotated[
        Literal["virtual", "system"],
        Doc("virtual: moves only when told; system: the wall clock."),
    ]
    nextDue: Annotated[str | None, instant("When the next scheduled job is due, or null.")]
    pending: Annotated[int, Doc("Scheduled jobs waiting.", minimum=0)]


class SimClockMoved(SimClock):
    """The clock after moving it, with the jobs that ran on the way."""

    ran: Annotated[int, Doc("Jobs that ran.", minimum=0)]
    byKind: Annotated[
        dict[str, Annotated[int, Doc(minimum=1, plain=True)]],
        Doc("Jobs that ran, by kind (Push, MotionStep, AutoSync, …)."),
    ]


class SimAccount(TypedDict):
    """A new account and its full-scope API token."""

    accountId: Annotated[int, Doc("The new account's id.", minimum=1)]
    token: Annotated[str, Doc("A Nuki Web API token with every scope.", pattern=r"^[0-9a-f]+$")]
    apiKeyId: Annotated[
        int, Doc("The token's API key id (for /api/key/{apiKeyId}/webhook/logs).", minimum=0)
    ]


class SimToken(TypedDict):
    """A new API token."""

    token: Annotated[str, Doc("The token.", pattern=r"^[0-9a-f]+$")]
    apiKeyId: Annotated[int, Doc("The token's API key id.", minimum=0)]
    scopes: Annotated[list[Scope], Doc("Its scopes, sorted.")]


class SimCommand(TypedDict):
    """A command queued for the device."""

    command: Annotated[
        Literal["CreateAuth", "UpdateAuth", "DeleteAuth", "LockAction", "WriteConfig"],
        Doc("What the command does."),
    ]
    operationId: Annotated[str, Doc("The operation id.", pattern=r"^[0-9a-f]{24}$")]
    acceptedAt: Annotated[str, instant("When the cloud accepted it.")]
    authorizationId: NotRequired[
        Annotated[str, Doc("The authorization it concerns (auth commands).")]
    ]
    name: NotRequired[Annotated[str, Doc("The new authorization's name (CreateAuth).")]]
    action: NotRequired[Annotated[int, Doc("The lock action (LockAction).", minimum=1, maximum=5)]]


class SimDevice(TypedDict):
    """The device's truth beside what the cloud knows."""

    smartlockId: Annotated[int, Doc("The lock's id.", minimum=1, int64=True)]
    online: Annotated[bool, Doc("Whether the device is connected.")]
    jammed: Annotated[bool, Doc("Whether the motor is jammed (the next action ends in state 254).")]
    keypadPaired: Annotated[bool, Doc("Whether a keypad is paired.")]
    model: Annotated[str, Doc("The device model (docs/behaviour.md, Device models).")]
    keypad: Annotated[str | None, Doc("The paired keypad's model, null when none is paired.")]
    timezone: Annotated[str, Doc("The lock's IANA time zone (schedules are evaluated in it).")]
    batteryCharge: Annotated[float, Doc("Exact battery charge in percent.", minimum=0, maximum=100)]
    state: SmartlockState
    auths: Annotated[list[SmartlockAuth], Doc("The authorizations on the device itself.")]
    queue: Annotated[list[SimCommand], Doc("Commands waiting to reach the device, in order.")]
    lastSync: Annotated[str | None, instant("The cloud's last sync with the device.")]
    nextAutoSync: Annotated[str | None, instant("The next daily automatic sync.")]
    syncTime: Annotated[str, Doc("Time of day (UTC) of the daily sync.", pattern=r"^\d{2}:\d{2}$")]


class Delivered(TypedDict):
    """One command the device received."""

    operationId: Annotated[str, Doc("The operation id.")]
    command: Annotated[str, Doc("What the command did.")]
    error: Annotated[str | None, Doc("Why the device refused it, or null.")]


class SimDeviceReconnected(SimDevice):
    """The device after a connectivity change, with what it received on reconnecting."""

    delivered: Annotated[
        list[Delivered], Doc("Commands delivered on reconnecting (empty when going offline).")
    ]


class SimKeypadResult(TypedDict):
    """What the lock made of a code typed on its keypad."""

    granted: Annotated[bool, Doc("Whether the door opened.")]
    reason: Annotated[str, Doc("Why (granted, unknown code, outside its schedule, …).")]


class SimSyncResult(TypedDict):
    """The outcome of a forced sync."""

    synced: Annotated[bool, Doc("False when the device is offline (nothing happened).")]
    lastSync: Annotated[str | None, instant("The cloud's last sync with the device.")]


class SimRequest(TypedDict):
    """One journal entry: a request and the status it got."""

    seq: Annotated[int, Doc("Sequence number, from 1.", minimum=1)]
    at: Annotated[str, instant("Simulated time of the request.")]
    method: Annotated[str, Doc("HTTP method.")]
    path: Annotated[str, Doc("Request path.")]
    query: Annotated[str, Doc("Raw query string.")]
    status: Annotated[int, Doc("Response status.", minimum=100, maximum=599)]
    durationMs: Annotated[float, Doc("Real time taken, in milliseconds.", minimum=0)]
    body: Annotated[str, Doc("The request body (only bodies up to 2048 bytes).")]


Probability = Annotated[float, doc(exclusiveMinimum=0, maximum=1)]
Delay = Annotated[float, Doc("Real seconds to wait first.", minimum=0, maximum=60)]


class SimFault(TypedDict):
    """A fault injection rule."""

    id: Annotated[int, Doc("The rule's id.", minimum=1)]
    path: Annotated[str, Doc("Glob the request path must match.")]
    method: Annotated[str | None, Doc("Method, or null for any.")]
    status: Annotated[
        int | None,
        Doc(
            "Status to answer with, or null (only drop or delay).",
            minimum=400,
            maximum=599,
            plain=True,
        ),
    ]
    body: Annotated[Any, Doc("Body to answer with; null means a DetailError.")]
    delaySeconds: Delay
    retryAfter: Annotated[int | None, Doc("Retry-After seconds, or null.", minimum=0, plain=True)]
    drop: Annotated[
        Literal[False, True, "after"],
        Doc(
            "false; true: the connection is dropped before the request runs; 'after': the "
            "request runs, then the connection is dropped unanswered."
        ),
    ]
    remaining: Annotated[
        int | None, Doc("How many more times it fires, or null for always.", minimum=0, plain=True)
    ]
    probability: Annotated[Probability, Doc("Chance that a matching request fires it.")]


class SimFaultCreate(TypedDict, total=False):
    """A new fault rule; it needs a status, a drop or a delaySeconds. drop 'after' takes no \
status or retryAfter."""

    path: Annotated[str, doc("Glob for the request path, e.g. /smartlock/*/auth.", default="*")]
    method: Annotated[str, Doc("Only this method (default: any).")]
    status: Annotated[int, Doc("Status to answer with.", minimum=400, maximum=599)]
    body: Annotated[Any, Doc("Body to answer with (default: a DetailError).")]
    delaySeconds: Delay
    retryAfter: Annotated[int, Doc("Send Retry-After; implies status 429.", minimum=0)]
    count: Annotated[int, Doc("Fire this many times, then vanish.", minimum=1)]
    probability: Annotated[Probability, Doc("Chance to fire (drawn from the seed).")]
    drop: Annotated[
        Literal[False, True, "before", "after"],
        doc(
            "Drop the connection without an answer: true or 'before' before the request runs "
            "(nothing changes); 'after' once the real handler ran (the write is applied and "
            "journaled, the client never gets the answer).",
            default=False,
        ),
    ]


class SimWebhook(DecentralWebhook):
    """A decentral webhook subscription with its delivery state."""

    accountId: Annotated[int, Doc("The subscribing account.", minimum=1)]
    apiKeyId: Annotated[int, Doc("The API key it was made with.", minimum=0)]
    active: Annotated[bool, Doc("False once deactivated after too many failures in a row.")]
    consecutiveFailures: Annotated[int, Doc("Failed attempts in a row.", minimum=0)]
    sentSuccessfully: Annotated[int, Doc("Successful deliveries.", minimum=0)]
    sentErroneous: Annotated[int, Doc("Failed attempts.", minimum=0)]
    outbox: Annotated[int, Doc("Events waiting to be delivered.", minimum=0)]
    nextAttempt: Annotated[str | None, instant("When the next attempt is due, or null.")]


class SimFlushResult(TypedDict):
    """The outcome of waiting for due deliveries."""

    drained: Annotated[bool, Doc("False when the timeout passed first.")]
    webhooks: Annotated[list[SimWebhook], Doc("Every subscription afterwards.")]


class SimGrant(TypedDict):
    """An authorization a reservation was issued."""

    smartlockId: Annotated[int, Doc("The lock.", minimum=1, int64=True)]
    id: Annotated[str, Doc("The authorization's id.", pattern=OBJECT_ID)]


class SimReservation(TypedDict):
    """A reservation as Nuki lists it, with what its guest was given (Nuki mails the code)."""

    reservation: AddressReservation
    access: Annotated[Literal["new", "issued", "revoked"], Doc("Never issued, issued, or revoked.")]
    code: Annotated[int | None, Doc("The guest's keypad code once issued, else null.")]
    authorizations: Annotated[list[SimGrant], Doc("The codes issued, one per keypad lock.")]


class SimSentRequest(TypedDict):
    """What was sent."""

    url: Annotated[str, Doc("The URL.")]
    body: Annotated[str, Doc("The exact JSON text sent.")]


class SimReceivedResponse(TypedDict):
    """What came back."""

    body: Annotated[str, Doc("The receiver's body (at most 1000 characters).")]
    timestamp: Annotated[str, instant("When the attempt was made.")]
    path: Annotated[str, Doc("Path of the URL.")]


class SimDelivery(TypedDict):
    """One delivery attempt: the subscription, what was sent and what the receiver answered
    (Nuki's own ``WebhookLog`` shows only what was sent)."""

    id: Annotated[str, Doc("The attempt's id; also the paging cursor.")]
    accountId: Annotated[int, Doc("The subscription's account.", minimum=1)]
    apiKeyId: Annotated[int, Doc("The API key the subscription was made with.", minimum=0)]
    webhookId: Annotated[int, Doc("The subscription.", minimum=1)]
    succeeded: Annotated[bool, Doc("Whether the receiver answered 2xx.")]
    responseStatus: Annotated[
        int, Doc("The receiver's HTTP status; 0 when no answer came.", minimum=0, maximum=599)
    ]
    duration: Annotated[int, Doc("Milliseconds the attempt took.", minimum=0)]
    request: SimSentRequest
    response: SimReceivedResponse
    created: Annotated[str, instant("When the attempt was made.")]
    updated: Annotated[str, instant("When the attempt was made.")]
    error: NotRequired[
        Annotated[str, Doc("Why the attempt failed (no answer, or a non-2xx status).")]
    ]
    requestId: NotRequired[
        Annotated[
            str,
            Doc("An API-triggered webhook's requestId (the Advanced API call it reports).",
                pattern=OBJECT_ID),
        ]
    ]  # fmt: skip


class SimSettings(TypedDict):
    """The world's settings (``SimConfig``): read-only here; set at start or by a restore."""

    profile: Annotated[
        Literal["seed", "nuki-docs"],
        Doc(
            "Which description of the cloud the world follows. seed: API changes are listed "
            "at the lock's daily sync (the specification of record); nuki-docs: listed "
            "propagationSeconds after the lock applied them, DEVICE_AUTHS then, and "
            "duplicate and capacity checks count pending writes."
        ),
    ]
    propagationSeconds: Annotated[
        float,
        Doc("nuki-docs: simulated seconds from the lock applying a change to the cloud "
            "listing it.", minimum=0),
    ]  # fmt: skip
    settings: Annotated[
        dict[str, Any],
        Doc("Every SimConfig setting by its Python name (as the pytest marker's config)."),
    ]


COMPONENTS = (
    SimSettings,
    SimSnapshot, SimClock, SimClockMoved, SimAccount, SimToken, SimCommand, SimDevice,
    SimDeviceReconnected, SimKeypadResult, SimSyncResult, SimRequest, SimFault, SimWebhook,
    SimFlushResult, SimGrant, SimReservation,
)  # fmt: skip
