"""The ``/_sim`` control plane in the OpenAPI document: its paths and its schemas.

Not part of Nuki Web: these routes steer the simulated world (accounts, locks, time, device
events, the request journal, injected faults). They need no Nuki token; a simulator started
with ``--control-token`` wants that token instead. Shapes follow
:mod:`nuki_sim.simulator.domain.control`, :mod:`nuki_sim.simulator.http.journal` and :mod:`nuki_sim.simulator.http.faults`.
"""

from __future__ import annotations

from typing import Any

from nuki_sim.simulator.domain.codes import SCOPES
from nuki_sim.simulator.http.journal import CONTROL_PREFIX
from nuki_sim.simulator.http.openapi_schemas import (
    OBJECT_ID,
    Schema,
    array_of,
    boolean,
    closed,
    decentral_webhook_fields,
    empty,
    instant,
    integer,
    ok,
    operation,
    param,
    query,
    ref,
    request_body,
    string,
)

TAG = "Simulator control plane"
LOCK = CONTROL_PREFIX + "/smartlocks/{smartlockId}"

E400 = "The body is missing, not JSON, or a value is not valid (the message says which)."
E401 = "The simulator was started with --control-token and this request does not carry it."
E404_LOCK = "No such smartlock: `no smartlock …`."
E413 = "The request body is larger than the simulator accepts (64 KiB by default)."
CONTROL_TOKEN_DESCRIPTION = (
    "`Authorization: Bearer <control token>`, needed on `/_sim` only when the simulator was "
    "started with `--control-token`; otherwise the control plane is open."
)


def _nullable_instant(description: str) -> Schema:
    return {**instant(description), "type": ["string", "null"]}


def _number(description: str, **limits: float) -> Schema:
    return {"type": "number", **limits, "description": description}


# --- schemas ---------------------------------------------------------------------------------


def _clock_fields() -> dict[str, Schema]:
    return {
        "now": instant("The simulated now."),
        "kind": {
            "type": "string",
            "enum": ["virtual", "system"],
            "description": "virtual: moves only when told; system: the wall clock.",
        },
        "nextDue": _nullable_instant("When the next scheduled job is due, or null."),
        "pending": integer("Scheduled jobs waiting.", minimum=0),
    }


def _device_fields() -> dict[str, Schema]:
    return {
        "smartlockId": integer("The lock's id.", minimum=1, int64=True),
        "online": boolean("Whether the device is connected."),
        "jammed": boolean("Whether the motor is jammed (the next action ends in state 254)."),
        "keypadPaired": boolean("Whether a keypad is paired."),
        "timezone": string("The lock's IANA time zone (schedules are evaluated in it)."),
        "batteryCharge": _number("Exact battery charge in percent.", minimum=0, maximum=100),
        "state": ref("SmartlockState"),
        "auths": array_of(ref("SmartlockAuth"), "The authorizations on the device itself."),
        "queue": array_of(ref("SimCommand"), "Commands waiting to reach the device, in order."),
        "lastSync": _nullable_instant("The cloud's last sync with the device."),
        "nextAutoSync": _nullable_instant("The next daily automatic sync."),
        "syncTime": string("Time of day (UTC) of the daily sync.", pattern=r"^\d{2}:\d{2}$"),
    }


def control_schemas() -> dict[str, Schema]:
    """The control plane's entries for ``components/schemas`` (names start with ``Sim``)."""
    return {
        "SimSnapshot": {
            "type": "object",
            "description": "A lossless snapshot of the whole world (opaque; restore it as is).",
            "properties": {
                "format": {"const": "nuki-sim/1", "description": "Snapshot format."},
                "state": {"type": "object", "description": "The encoded world state."},
            },
            "required": ["format", "state"],
            "additionalProperties": False,
        },
        "SimClock": closed("The simulated clock.", _clock_fields()),
        "SimClockMoved": closed(
            "The clock after moving it, with the jobs that ran on the way.",
            {
                **_clock_fields(),
                "ran": integer("Jobs that ran.", minimum=0),
                "byKind": {
                    "type": "object",
                    "additionalProperties": {"type": "integer", "minimum": 1},
                    "description": "Jobs that ran, by kind (Push, MotionStep, AutoSync, …).",
                },
            },
        ),
        "SimAccount": closed(
            "A new account and its full-scope API token.",
            {
                "accountId": integer("The new account's id.", minimum=1),
                "token": string("A Nuki Web API token with every scope.", pattern=r"^[0-9a-f]+$"),
                "apiKeyId": integer(
                    "The token's API key id (for /api/key/{apiKeyId}/webhook/logs).", minimum=0
                ),
            },
        ),
        "SimToken": closed(
            "A new API token.",
            {
                "token": string("The token.", pattern=r"^[0-9a-f]+$"),
                "apiKeyId": integer("The token's API key id.", minimum=0),
                "scopes": array_of(
                    {"type": "string", "enum": sorted(SCOPES)}, "Its scopes, sorted."
                ),
            },
        ),
        "SimCommand": closed(
            "A command queued for the device.",
            {
                "command": {
                    "type": "string",
                    "enum": ["CreateAuth", "UpdateAuth", "DeleteAuth", "LockAction"],
                    "description": "What the command does.",
                },
                "operationId": string("The operation id.", pattern=r"^[0-9a-f]{24}$"),
                "acceptedAt": instant("When the cloud accepted it."),
                "authorizationId": string("The authorization it concerns (auth commands)."),
                "name": string("The new authorization's name (CreateAuth)."),
                "action": integer("The lock action (LockAction).", minimum=1, maximum=5),
            },
            optional=("authorizationId", "name", "action"),
        ),
        "SimDevice": closed("The device's truth beside what the cloud knows.", _device_fields()),
        "SimDeviceReconnected": closed(
            "The device after a connectivity change, with what it received on reconnecting.",
            {
                **_device_fields(),
                "delivered": array_of(
                    closed(
                        "One command the device received.",
                        {
                            "operationId": string("The operation id."),
                            "command": string("What the command did."),
                            "error": {
                                "type": ["string", "null"],
                                "description": "Why the device refused it, or null.",
                            },
                        },
                    ),
                    "Commands delivered on reconnecting (empty when going offline).",
                ),
            },
        ),
        "SimKeypadResult": closed(
            "What the lock made of a code typed on its keypad.",
            {
                "granted": boolean("Whether the door opened."),
                "reason": string("Why (granted, unknown code, outside its schedule, …)."),
            },
        ),
        "SimSyncResult": closed(
            "The outcome of a forced sync.",
            {
                "synced": boolean("False when the device is offline (nothing happened)."),
                "lastSync": _nullable_instant("The cloud's last sync with the device."),
            },
        ),
        "SimRequest": closed(
            "One journal entry: a request and the status it got.",
            {
                "seq": integer("Sequence number, from 1.", minimum=1),
                "at": instant("Simulated time of the request."),
                "method": string("HTTP method."),
                "path": string("Request path."),
                "query": string("Raw query string."),
                "status": integer("Response status.", minimum=100, maximum=599),
                "durationMs": _number("Real time taken, in milliseconds.", minimum=0),
                "body": string("The request body (only bodies up to 2048 bytes)."),
            },
        ),
        "SimFault": closed(
            "A fault injection rule.",
            {
                "id": integer("The rule's id.", minimum=1),
                "path": string("Glob the request path must match."),
                "method": {"type": ["string", "null"], "description": "Method, or null for any."},
                "status": {
                    "type": ["integer", "null"],
                    "minimum": 400,
                    "maximum": 599,
                    "description": "Status to answer with, or null (only drop or delay).",
                },
                "body": {"description": "Body to answer with; null means a DetailError."},
                "delaySeconds": _number("Real seconds to wait first.", minimum=0, maximum=60),
                "retryAfter": {
                    "type": ["integer", "null"],
                    "minimum": 0,
                    "description": "Retry-After seconds, or null.",
                },
                "drop": {
                    "enum": [False, True, "after"],
                    "description": "false; true: the connection is dropped before the request "
                    "runs; 'after': the request runs, then the connection is dropped unanswered.",
                },
                "remaining": {
                    "type": ["integer", "null"],
                    "minimum": 0,
                    "description": "How many more times it fires, or null for always.",
                },
                "probability": _number(
                    "Chance that a matching request fires it.", exclusiveMinimum=0, maximum=1
                ),
            },
        ),
        "SimWebhook": closed(
            "A decentral webhook subscription with its delivery state.",
            {
                **decentral_webhook_fields(),
                "accountId": integer("The subscribing account.", minimum=1),
                "apiKeyId": integer("The API key it was made with.", minimum=0),
                "active": boolean("False once deactivated after too many failures in a row."),
                "consecutiveFailures": integer("Failed attempts in a row.", minimum=0),
                "sentSuccessfully": integer("Successful deliveries.", minimum=0),
                "sentErroneous": integer("Failed attempts.", minimum=0),
                "outbox": integer("Events waiting to be delivered.", minimum=0),
                "nextAttempt": _nullable_instant("When the next attempt is due, or null."),
            },
        ),
        "SimFlushResult": closed(
            "The outcome of waiting for due deliveries.",
            {
                "drained": boolean("False when the timeout passed first."),
                "webhooks": array_of(ref("SimWebhook"), "Every subscription afterwards."),
            },
        ),
        "SimFaultCreate": {
            "type": "object",
            "description": "A new fault rule; it needs a status, a drop or a delaySeconds. drop 'after' takes "
            "no status or retryAfter.",
            "properties": {
                "path": string("Glob for the request path, e.g. /smartlock/*/auth.", default="*"),
                "method": string("Only this method (default: any)."),
                "status": integer("Status to answer with.", minimum=400, maximum=599),
                "body": {"description": "Body to answer with (default: a DetailError)."},
                "delaySeconds": _number("Real seconds to wait first.", minimum=0, maximum=60),
                "retryAfter": integer("Send Retry-After; implies status 429.", minimum=0),
                "count": integer("Fire this many times, then vanish.", minimum=1),
                "probability": _number(
                    "Chance to fire (drawn from the seed).", exclusiveMinimum=0, maximum=1
                ),
                "drop": {
                    "enum": [False, True, "before", "after"],
                    "default": False,
                    "description": "Drop the connection without an answer: true or 'before' "
                    "before the request runs (nothing changes); 'after' once the real handler "
                    "ran (the write is applied and journaled, the client never gets the answer).",
                },
            },
        },
    }


# --- paths -------------------------------------------------------------------------------------


def _op(
    operation_id: str,
    summary: str,
    description: str,
    success: dict[str, Any],
    errors: dict[int, str],
    *,
    body: dict[str, Any] | None = None,
    parameters: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    return operation(
        operation_id,
        summary,
        description,
        tag=TAG,
        security=[{}, {"controlToken": []}],  # open unless started with --control-token
        success=success,
        errors={401: E401, **errors},
        body=body,
        parameters=parameters,
        faults=False,
    )


def _json_body(properties: dict[str, Schema], required: list[str], text: str) -> dict[str, Any]:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return request_body(schema, text, required=bool(required))


def _device_event(
    operation_id: str, summary: str, description: str, body: dict[str, Any]
) -> dict[str, Any]:
    return {
        "parameters": [param("smartlockId")],
        "post": _op(
            operation_id,
            summary,
            description,
            ok("The device afterwards.", ref("SimDevice")),
            {400: E400, 404: E404_LOCK, 413: E413},
            body=body,
        ),
    }


def control_paths() -> dict[str, Any]:
    p = CONTROL_PREFIX
    moved = ok("The clock afterwards.", ref("SimClockMoved"))
    return {
        p + "/reset": {
            "post": _op(
                "simReset",
                "Reset the world",
                "Back to the world as it was at start (same seed, demo and clock); also clears "
                "the journal and the fault rules.",
                ok("The clock after the reset.", ref("SimClock")),
                {},
            )
        },
        p + "/snapshot": {
            "get": _op(
                "simSnapshot",
                "Snapshot the world",
                "Everything, including the agenda and the random generator: restoring it gives "
                "a world that behaves exactly the same from then on.",
                ok("The snapshot.", ref("SimSnapshot")),
                {},
            )
        },
        p + "/restore": {
            "post": _op(
                "simRestore",
                "Restore a snapshot",
                "Replace the world with a snapshot taken by GET /_sim/snapshot.",
                ok("The clock after the restore.", ref("SimClock")),
                {400: "Not a nuki-sim snapshot, or a damaged one.", 413: E413},
                body=request_body(ref("SimSnapshot"), "The snapshot."),
            )
        },
        p + "/accounts": {
            "post": _op(
                "simCreateAccount",
                "Create an account",
                "A new account with a full-scope API token.",
                ok("The account and its token.", ref("SimAccount"), 201),
                {400: E400, 413: E413},
                body=_json_body(
                    {"name": string("Name."), "email": string("E-mail address.")},
                    [],
                    "Optional name and e-mail.",
                ),
            )
        },
        p + "/accounts/{accountId}/tokens": {
            "parameters": [param("accountId")],
            "post": _op(
                "simCreateToken",
                "Create an API token",
                "A new Nuki Web API token for the account, with the given scopes (default: all).",
                ok("The token.", ref("SimToken"), 201),
                {400: E400 + " Or an unknown scope.", 404: "No such account.", 413: E413},
                body=_json_body(
                    {
                        "scopes": array_of({"type": "string", "enum": sorted(SCOPES)}, "Scopes."),
                        "name": string("The token's name."),
                    },
                    [],
                    "Optional scopes and name.",
                ),
            ),
        },
        p + "/smartlocks": {
            "post": _op(
                "simCreateSmartlock",
                "Add a smartlock",
                "Add a lock to an account, as the Nuki app would.",
                ok("The new lock.", ref("Smartlock"), 201),
                {400: E400, 404: "No such account.", 413: E413},
                body=_json_body(
                    {
                        "accountId": integer("The owning account.", minimum=1),
                        "name": string("The lock's name."),
                        "keypad": boolean("Whether a keypad is paired (default true)."),
                        "online": boolean("Whether it starts online (default true)."),
                        "batteryCharge": integer("Battery percent.", minimum=0, maximum=100),
                        "timezone": string("IANA time zone (default Europe/Berlin)."),
                        "syncTime": {
                            "type": ["string", "integer"],
                            "description": "Daily sync time: 'HH:MM' UTC or minutes after "
                            "midnight UTC (default: spread by the seed).",
                        },
                    },
                    ["accountId"],
                    "The lock to add.",
                ),
            )
        },
        p + "/clock": {
            "get": _op(
                "simClock",
                "Read the clock",
                "The simulated clock.",
                ok("The clock.", ref("SimClock")),
                {},
            )
        },
        p + "/clock/advance": {
            "post": _op(
                "simAdvanceClock",
                "Advance the clock",
                "Move a virtual clock forward; every job that falls due runs at its own time.",
                moved,
                {400: E400 + " Also for a system clock, or more than ten years."},
                body=_json_body(
                    {"seconds": _number("Seconds to move forward.", minimum=0)},
                    ["seconds"],
                    "How far.",
                ),
            )
        },
        p + "/clock/set": {
            "post": _op(
                "simSetClock",
                "Set the clock",
                "Move a virtual clock forward to an instant; due jobs run on the way.",
                moved,
                {400: E400 + " Also for a system clock, a past instant, or more than ten years."},
                body=_json_body(
                    {"now": {"type": "string", "format": "date-time", "description": "Target."}},
                    ["now"],
                    "Where to.",
                ),
            )
        },
        LOCK + "/connectivity": {
            "parameters": [param("smartlockId")],
            "post": _op(
                "simConnectivity",
                "Take a lock offline or bring it back",
                "On reconnect the device receives everything queued for it, in order.",
                ok("The device afterwards.", ref("SimDeviceReconnected")),
                {400: E400, 404: E404_LOCK, 413: E413},
                body=_json_body(
                    {"online": boolean("Online or not.")}, ["online"], "The new state."
                ),
            ),
        },
        LOCK + "/battery": _device_event(
            "simBattery",
            "Set a lock's battery",
            "Set the battery charge; below the critical level batteryCritical turns true.",
            _json_body(
                {"charge": _number("Percent.", minimum=0, maximum=100)}, ["charge"], "The charge."
            ),
        ),
        LOCK + "/jam": _device_event(
            "simJam",
            "Jam or free a lock's motor",
            "A jammed motor ends the next action in state 254 (motor blocked).",
            _json_body({"jammed": boolean("Jammed or not.")}, ["jammed"], "The motor."),
        ),
        LOCK + "/keypad": {
            "parameters": [param("smartlockId")],
            "post": _op(
                "simKeypad",
                "Type a code on a lock's keypad",
                "The lock checks the code against its own authorizations and schedules (works "
                "offline too) and logs the attempt.",
                ok("What the lock did.", ref("SimKeypadResult")),
                {400: E400, 404: E404_LOCK, 413: E413},
                body=_json_body(
                    {"code": {"type": ["string", "integer"], "description": "The digits typed."}},
                    ["code"],
                    "The code.",
                ),
            ),
        },
        LOCK + "/sync": {
            "parameters": [param("smartlockId")],
            "post": _op(
                "simSync",
                "Force a sync",
                "Sync the cloud's copy with the device now, as the daily sync would.",
                ok("The outcome.", ref("SimSyncResult")),
                {400: "smartlockId is not a valid int64.", 404: E404_LOCK},
            ),
        },
        LOCK + "/device": {
            "parameters": [param("smartlockId")],
            "get": _op(
                "simDevice",
                "Look at the device",
                "The device's truth (state, authorizations, queue, sync times) beside the cloud's.",
                ok("The device.", ref("SimDevice")),
                {400: "smartlockId is not a valid int64.", 404: E404_LOCK},
            ),
        },
        p + "/requests": {
            "get": _op(
                "simRequests",
                "Read the request journal",
                "The requests the simulator answered, oldest first (control-plane requests only "
                "with includeControl=true).",
                ok("The entries.", array_of(ref("SimRequest"), "Journal entries.")),
                {400: "limit or since is not an integer."},
                parameters=(
                    query("method", {"type": "string"}, "Only this method."),
                    query("path", {"type": "string"}, "Only paths matching this glob."),
                    query("status", {"type": "string"}, "Only this status, or a class like 4xx."),
                    query(
                        "includeControl", {"type": "boolean", "default": False}, "Include /_sim."
                    ),
                    query("since", {"type": "integer"}, "Only entries after this seq."),
                    query(
                        "limit",
                        {"type": "integer", "default": 1000},
                        "At most this many (the last).",
                    ),
                ),
            ),
            "delete": _op(
                "simClearRequests",
                "Clear the request journal",
                "Forget every journal entry.",
                empty("Cleared."),
                {},
            ),
        },
        p + "/faults": {
            "get": _op(
                "simFaults",
                "List fault rules",
                "The active fault injection rules, in the order they are tried.",
                ok("The rules.", array_of(ref("SimFault"), "Fault rules.")),
                {},
            ),
            "post": _op(
                "simAddFault",
                "Add a fault rule",
                "Make matching Nuki Web requests (never /_sim) fail: an error status and body, a "
                "429 with Retry-After, a dropped connection (before the request runs, or after "
                "it was applied), or a real delay before the answer.",
                ok("The rule.", ref("SimFault"), 201),
                {400: E400, 413: E413},
                body=request_body(ref("SimFaultCreate"), "The rule."),
            ),
            "delete": _op(
                "simClearFaults", "Remove all fault rules", "No more faults.", empty("Removed."), {}
            ),
        },
        **_webhook_paths(),
    }


def _webhook_paths() -> dict[str, Any]:
    p = CONTROL_PREFIX + "/webhooks"
    return {
        p: {
            "get": _op(
                "simWebhooks",
                "List every webhook subscription",
                "All accounts' decentral webhook subscriptions with their delivery state.",
                ok("The subscriptions.", array_of(ref("SimWebhook"), "Subscriptions.")),
                {},
            )
        },
        p + "/deliveries": {
            "get": _op(
                "simWebhookDeliveries",
                "List delivery attempts",
                "Every subscription's delivery attempts, newest first.",
                ok("The attempts.", array_of(ref("WebhookLog"), "Attempts.")),
                {400: "webhookId or limit is not a number, or id is no known attempt."},
                parameters=(
                    query("webhookId", {"type": "integer"}, "Only this subscription's."),
                    query("id", {"type": "string", "pattern": OBJECT_ID}, "Only older attempts."),
                    query("limit", {"type": "integer", "minimum": 1, "default": 300}, "At most."),
                ),
            )
        },
        p + "/{webhookId}/reactivate": {
            "parameters": [param("webhookId")],
            "post": _op(
                "simReactivateWebhook",
                "Reactivate a webhook",
                "Reactivate the subscription (and its API key's others); delivery resumes.",
                ok("The subscription afterwards.", ref("SimWebhook")),
                {404: "No such webhook."},
            ),
        },
        p + "/flush": {
            "post": _op(
                "simFlushWebhooks",
                "Wait for due deliveries",
                "Wait (real time, bounded) until every delivery that is due now was attempted.",
                ok("Whether everything due was attempted.", ref("SimFlushResult")),
                {400: "timeoutSeconds is not a number in (0, 60].", 413: E413},
                body=_json_body(
                    {
                        "timeoutSeconds": _number(
                            "Real seconds to wait at most (default 10).",
                            exclusiveMinimum=0,
                            maximum=60,
                        )
                    },
                    [],
                    "Optional timeout.",
                ),
            )
        },
    }


def control_parameters() -> dict[str, Any]:
    return {
        "accountId": {
            "name": "accountId",
            "in": "path",
            "required": True,
            "description": "The account's id (digits only).",
            "schema": integer("Account id.", minimum=0),
        }
    }
