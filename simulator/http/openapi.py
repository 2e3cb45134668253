"""The OpenAPI 3.1 document of every route the simulator serves, at ``GET /openapi.json``.

Each operation reads as one call: what it does, which scope it needs, its parameters and
body, and every status it can really answer. The building blocks and Nuki Web's schemas live
in :mod:`nuki_sim.simulator.http.openapi_schemas`, the ``/_sim`` control plane in
:mod:`nuki_sim.simulator.http.openapi_control`; this module holds Nuki Web's paths and assembles the
document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from aiohttp import web

from nuki_sim.simulator.http import openapi_control, respond
from nuki_sim.simulator.http.openapi_schemas import (
    INT64_MAX,
    OBJECT_ID,
    empty,
    headers,
    integer,
    ok,
    operation,
    param,
    query,
    ref,
    request_body,
    schemas,
)
from nuki_sim.simulator.version import package_version

LOCK = "/smartlock/{smartlockId}"

INFO_DESCRIPTION = """\
This is nuki-sim's own document: it describes the fake Nuki Web cloud exactly as the simulator \
serves it, not Nuki's published specification (https://api.nuki.io/static/swagger/swagger.json), \
of which it implements the account, smart lock, authorization, activity log and decentral \
webhook routes.

Real behaviours the simulator reproduces:

* **Nuki's verbs**: PUT creates, POST updates, DELETE deletes; any other verb on a known path \
is answered with 405 and an `Allow` header.
* **Asynchronous writes**: a write that reaches the lock answers 204 as soon as it is queued. \
An online lock receives it after the push delay (a few seconds); an offline lock receives \
everything queued, in order, when it reconnects. `GET .../auth` lists a change only once the \
cloud has heard back from the lock: at its next sync (`POST /smartlock/{smartlockId}/sync` or \
the daily automatic sync) or when it reconnects.
* **Pending operations**: while a change to an authorization waits for the lock, the \
authorization shows an `operationId` and further changes to it are refused with 423; a second \
action on a lock that is still moving is refused with 423 as well.
* **Device-side failures**: what only the lock can check (a duplicate code it holds, a full \
code store, an unknown authorization) fails later and shows up as the authorization's `error` \
after the next sync.
* **Keypad codes** (type 13): six digits 1-9, not starting with 12, unique per lock (409), at \
most 100 per lock (409), names of at most 20 characters (422 with Restlet's body), and only on \
locks with a paired keypad (400).
* **Updates replace the time restrictions**: the five time fields of an authorization update \
are replaced, so an omitted one is cleared.
* **Activity log**: newest first, `limit` defaults to 20 and is capped at 50, `id` is a cursor \
for older entries.
* **Decentral webhooks**: events are POSTed in order, at least once, signed with \
`X-Nuki-Signature-SHA256`; failed deliveries are retried with growing delays on the simulated \
clock, a subscription that keeps failing is deactivated, and the last 300 attempts per API key \
are logged.
* **Errors** use Nuki's bodies: a serialized exception (`detailMessage`), Restlet's status \
object for 422 and a message-less body for 423. A missing, unknown or under-scoped token is \
always 401; a lock of another account is 403; an unknown id is 404.

Error responses may carry an `X-Nuki-Sim-Hint` header: a human hint that the real service does \
not send, so the body stays what Nuki sends.

Not part of Nuki Web: the `/_sim` control plane (on by default; `--control off` removes it, \
`--control-token` guards it) steers the world: accounts, tokens and locks, the virtual clock, \
connectivity, battery, jams, keypad entries, forced syncs, snapshots, a request journal, and \
fault rules. A fault rule can make any Nuki Web route answer with a status and body of its \
choice (marked by an `X-Nuki-Sim-Fault` header), drop the connection or answer late; such \
answers are covered by each operation's `default` response only when they keep Nuki's \
DetailError body.
"""

BEARER_DESCRIPTION = """\
`Authorization: Bearer <token>`: a Nuki Web API token (tokens do not expire) or an OAuth2 \
access token. Each operation lists the scope it needs as a role; one of the listed alternatives \
suffices. Scopes: `account` (view the account), `smartlock` (view and manage locks), \
`smartlock.readOnly` (view locks), `smartlock.action` (operate locks and trigger a sync), \
`smartlock.auth` (view and manage authorizations), `smartlock.log` (view activity logs), \
`webhook.decentral` (manage decentral webhooks), `smartlock.config` and `notification` (no \
route of the simulator needs them).
"""

QUEUED = (
    " It answers 204 as soon as the request is queued, not when the lock has applied it: an "
    "online lock applies it after the push delay (an offline lock when it reconnects), and "
    "GET /smartlock/{smartlockId}/auth lists the result only after the lock's next sync. A "
    "failure only the lock can detect shows up later as the authorization's `error`."
)
QUEUED_ACTION = (
    " It answers 204 as soon as the action is queued: the lock runs it after the push delay "
    "(an offline lock when it reconnects) and its state and activity log follow the motor."
)


def _op(
    operation_id: str,
    summary: str,
    description: str,
    *,
    tag: str,
    scopes: Sequence[str],
    success: Mapping[str, Any],
    errors: Mapping[int, str],
    parameters: Sequence[Mapping[str, Any]] = (),
    body: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A Nuki Web operation; ``scopes`` are alternatives (3.1 lets a bearer scheme list roles)."""
    return operation(
        operation_id,
        summary,
        description,
        tag=tag,
        security=[{"bearerAuth": [scope]} for scope in scopes],
        success=success,
        errors=errors,
        parameters=parameters,
        body=body,
    )


# --- the usual error descriptions ------------------------------------------------------------

E401 = "The token is missing or unknown, or lacks the scope: `Your access token is not authorized`."
E403 = "The smartlock belongs to another account: `Forbidden`."
E404_LOCK = "No such smartlock: `Smartlock not found`."
E413 = "The request body is larger than the simulator accepts (64 KiB by default)."
E400_ID = "smartlockId is not a valid int64."
E400_BODY = "The body is missing, not JSON, or a value is not valid (`The supplied value '…' for parameter '…' is not valid`)."
E409 = (
    "Parameter conflicts: the lock already has this keypad code, or holds the maximum number "
    "of keypad codes."
)
E409_UPDATE = "Parameter conflicts: another keypad code on the lock already has this code."
E422 = "A keypad code name is longer than 20 characters (Restlet's body)."
E423_AUTH = "A change to this authorization is still waiting to reach the lock."
E423_LOCK = "Another action on this lock is still queued or its motor is still moving."

LOCK_READ = {400: E400_ID, 401: E401, 403: E403, 404: E404_LOCK}


# --- operations ------------------------------------------------------------------------------


def _account_paths() -> dict[str, Any]:
    return {
        "/account": {
            "get": _op(
                "getAccount",
                "Get the account",
                "The account the token belongs to.",
                tag="Account",
                scopes=["account"],
                success=ok("The account.", ref("MyAccount")),
                errors={401: E401},
            )
        }
    }


def _lock_paths() -> dict[str, Any]:
    return {
        "/smartlock": {
            "get": _op(
                "listSmartlocks",
                "List the account's smartlocks",
                "Every lock of the token's account, optionally filtered.",
                tag="Smartlock",
                scopes=["smartlock", "smartlock.readOnly"],
                parameters=[
                    query(
                        "authId",
                        integer("Slot id.", minimum=0),
                        "Only locks whose Web API authorization has this slot.",
                    ),
                    query(
                        "type",
                        integer("Device type.", minimum=0, maximum=255),
                        "Only locks of this device type.",
                    ),
                ],
                success=ok("The locks.", {"type": "array", "items": ref("Smartlock")}),
                errors={400: "authId or type is not a valid number.", 401: E401},
            )
        },
        LOCK: {
            "parameters": [param("smartlockId")],
            "get": _op(
                "getSmartlock",
                "Get a smartlock",
                "One lock, with its config, advanced config and state as the cloud last learned them.",
                tag="Smartlock",
                scopes=["smartlock", "smartlock.readOnly"],
                success=ok("The lock.", ref("Smartlock")),
                errors=LOCK_READ,
            ),
            "post": _op(
                "updateSmartlock",
                "Update a smartlock",
                "Change the lock's name or favourite flag in the cloud. Applied at once "
                "(204, no body); this does not wait for the lock.",
                tag="Smartlock",
                scopes=["smartlock"],
                body=request_body(ref("SmartlockUpdate"), "The new master data."),
                success=empty("Updated; the body is empty."),
                errors={**LOCK_READ, 400: E400_BODY + " A name has 1 to 32 characters.", 413: E413},
            ),
            "delete": _op(
                "deleteSmartlock",
                "Delete a smartlock",
                "Remove the lock from the account at once (204, no body).",
                tag="Smartlock",
                scopes=["smartlock"],
                success=empty("Deleted; the body is empty."),
                errors=LOCK_READ,
            ),
        },
    }


def _action_paths() -> dict[str, Any]:
    def simple(operation_id: str, verb: str, action: int) -> dict[str, Any]:
        return {
            "parameters": [param("smartlockId")],
            "post": _op(
                operation_id,
                f"{verb.capitalize()} a smartlock",
                f"Shortcut for POST /smartlock/{{smartlockId}}/action with action {action} "
                f"({verb}); no body." + QUEUED_ACTION,
                tag="Smartlock actions",
                scopes=["smartlock.action"],
                success=empty(),
                errors={**LOCK_READ, 423: E423_LOCK},
            ),
        }

    return {
        LOCK + "/action": {
            "parameters": [param("smartlockId")],
            "post": _op(
                "actionSmartlock",
                "Run a lock action",
                "Unlock, lock, unlatch, lock 'n' go or lock 'n' go with unlatch." + QUEUED_ACTION,
                tag="Smartlock actions",
                scopes=["smartlock.action"],
                body=request_body(ref("SmartlockAction"), "The action to run."),
                success=empty(),
                errors={
                    **LOCK_READ,
                    400: E400_BODY + " action is 1 to 5, option 0 to 7.",
                    413: E413,
                    423: E423_LOCK,
                },
            ),
        },
        LOCK + "/action/lock": simple("lockSmartlock", "lock", 2),
        LOCK + "/action/unlock": simple("unlockSmartlock", "unlock", 1),
        LOCK + "/sync": {
            "parameters": [param("smartlockId")],
            "post": _op(
                "syncSmartlock",
                "Sync a smartlock",
                'Like Nuki Web\'s "Update now": deliver what is queued for the lock, then make '
                "the cloud's copy (state, authorizations, activity log) equal the lock's. Always "
                "answers 204; on an offline lock it does nothing.",
                tag="Smartlock actions",
                scopes=["smartlock.action"],
                success=empty("Accepted; the body is empty."),
                errors=LOCK_READ,
            ),
        },
    }


def _lock_auth_paths() -> dict[str, Any]:
    auth_read = {
        **LOCK_READ,
        404: E404_LOCK
        + " Or no such authorization in the cloud's copy: `Smartlock authorization not found`.",
    }
    return {
        LOCK + "/auth": {
            "parameters": [param("smartlockId")],
            "get": _op(
                "listSmartlockAuths",
                "List a smartlock's authorizations",
                "The authorizations the cloud knows for the lock, as of the lock's last sync: a "
                "change accepted with 204 appears here only after the next sync.",
                tag="Smartlock authorizations",
                scopes=["smartlock.auth"],
                parameters=[param("types"), param("includeEmail")],
                success=ok("The authorizations.", {"type": "array", "items": ref("SmartlockAuth")}),
                errors={**LOCK_READ, 400: E400_ID + " Or types/includeEmail is not valid."},
            ),
            "put": _op(
                "createSmartlockAuth",
                "Create an authorization on a smartlock",
                "Create an app authorization or a keypad code. The reply has no id: list the "
                "lock's authorizations after the next sync and find it by name." + QUEUED,
                tag="Smartlock authorizations",
                scopes=["smartlock.auth"],
                body=request_body(ref("SmartlockAuthCreate"), "The new authorization."),
                success=empty(),
                errors={
                    **LOCK_READ,
                    400: E400_BODY + " Also for type 13 on a lock without a keypad.",
                    409: E409,
                    413: E413,
                    422: E422,
                },
            ),
        },
        LOCK + "/auth/{authId}": {
            "parameters": [param("smartlockId"), param("authId")],
            "get": _op(
                "getSmartlockAuth",
                "Get an authorization",
                "One authorization of the lock, as of the lock's last sync.",
                tag="Smartlock authorizations",
                scopes=["smartlock.auth"],
                success=ok("The authorization.", ref("SmartlockAuth")),
                errors=auth_read,
            ),
            "post": _op(
                "updateSmartlockAuth",
                "Update an authorization",
                "Change an authorization. The five time fields are replaced: an omitted one is "
                "cleared." + QUEUED,
                tag="Smartlock authorizations",
                scopes=["smartlock.auth"],
                body=request_body(ref("SmartlockAuthUpdate"), "The changes."),
                success=empty(),
                errors={
                    **auth_read,
                    400: E400_BODY,
                    409: E409_UPDATE,
                    413: E413,
                    422: E422,
                    423: E423_AUTH,
                },
            ),
            "delete": _op(
                "deleteSmartlockAuth",
                "Delete an authorization",
                "Remove an authorization from the lock." + QUEUED,
                tag="Smartlock authorizations",
                scopes=["smartlock.auth"],
                success=empty(),
                errors={**auth_read, 423: E423_AUTH},
            ),
        },
    }


def _bulk_auth_paths() -> dict[str, Any]:
    e404_auth = (
        "No authorization with one of the ids in the account: `Smartlock authorization not found`."
    )
    filters = [param("types"), param("accountUserId")]
    return {
        "/smartlock/auth": {
            "get": _op(
                "listAuths",
                "List the authorizations of all smartlocks",
                "Every authorization of every lock of the account, as of each lock's last sync.",
                tag="Smartlock authorizations",
                scopes=["smartlock.auth"],
                parameters=filters,
                success=ok("The authorizations.", {"type": "array", "items": ref("SmartlockAuth")}),
                errors={400: "types or accountUserId is not valid.", 401: E401},
            ),
            "put": _op(
                "createAuths",
                "Create an authorization on several smartlocks",
                "Like PUT /smartlock/{smartlockId}/auth for each lock in smartlockIds; every "
                "lock is checked before any is changed." + QUEUED,
                tag="Smartlock authorizations",
                scopes=["smartlock.auth"],
                body=request_body(
                    ref("SmartlocksAuthCreate"), "The new authorization and its locks."
                ),
                success=empty(),
                errors={
                    400: E400_BODY + " smartlockIds is a non-empty list of lock ids.",
                    401: E401,
                    403: "One of the locks belongs to another account: `Forbidden`.",
                    404: "One of the locks does not exist: `Smartlock not found`.",
                    409: E409,
                    413: E413,
                    422: E422,
                },
            ),
            "post": _op(
                "updateAuths",
                "Update several authorizations",
                "Apply several updates, each naming its authorization by id; all are checked "
                "before any is queued." + QUEUED,
                tag="Smartlock authorizations",
                scopes=["smartlock.auth"],
                body=request_body(
                    {"type": "array", "items": ref("SmartlockAuthMultiUpdate"), "minItems": 1},
                    "The updates.",
                ),
                success=empty(),
                errors={
                    400: E400_BODY + " The body is a non-empty array of objects with a string id.",
                    401: E401,
                    404: e404_auth,
                    409: E409_UPDATE,
                    413: E413,
                    422: E422,
                    423: "A change to one of the authorizations is still waiting to reach its lock.",
                },
            ),
            "delete": _op(
                "deleteAuths",
                "Delete several authorizations",
                "Remove the authorizations with the given ids, across locks." + QUEUED,
                tag="Smartlock authorizations",
                scopes=["smartlock.auth"],
                body=request_body(
                    {
                        "type": "array",
                        "items": {"type": "string", "pattern": OBJECT_ID},
                        "minItems": 1,
                    },
                    "The ids of the authorizations to delete.",
                ),
                success=empty(),
                errors={
                    400: "The body is missing or not a non-empty JSON array of id strings.",
                    401: E401,
                    404: e404_auth,
                    413: E413,
                    423: "A change to one of the authorizations is still waiting to reach its lock.",
                },
            ),
        },
        "/smartlock/auth/paged": {
            "get": _op(
                "listAuthsPaged",
                "List the authorizations of all smartlocks, page by page",
                "Like GET /smartlock/auth, one page at a time.",
                tag="Smartlock authorizations",
                scopes=["smartlock.auth"],
                parameters=[
                    *filters,
                    query(
                        "page",
                        {**integer("Page number.", minimum=0), "default": 0},
                        "The page, from 0.",
                    ),
                    query(
                        "size",
                        {**integer("Page size.", minimum=1, maximum=1000), "default": 100},
                        "Items per page.",
                    ),
                ],
                success=ok("One page.", ref("PagedAuths")),
                errors={400: "types, accountUserId, page or size is not valid.", 401: E401},
            )
        },
    }


def _log_paths() -> dict[str, Any]:
    description = (
        "Activity log entries as the cloud has them (an offline lock uploads its entries when "
        "it reconnects), newest first. At most `limit` entries (default 20, capped at 50); "
        "pass the last entry's id as `id` to get the next, older ones."
    )
    filters = [
        param(name) for name in ("accountUserId", "fromDate", "toDate", "action", "logId", "limit")
    ]
    return {
        LOCK + "/log": {
            "parameters": [param("smartlockId")],
            "get": _op(
                "listSmartlockLogs",
                "List a smartlock's activity log",
                description,
                tag="Smartlock logs",
                scopes=["smartlock.log"],
                parameters=[
                    query(
                        "authId",
                        {"type": "string"},
                        "Only entries of this authorization slot (as in SmartlockLog.authId).",
                    ),
                    *filters,
                ],
                success=ok(
                    "The entries.", {"type": "array", "items": ref("SmartlockLog"), "maxItems": 50}
                ),
                errors={
                    **LOCK_READ,
                    400: E400_ID + " Or a filter is not valid, or id is no known entry.",
                },
            ),
        },
        "/smartlock/log": {
            "get": _op(
                "listLogs",
                "List the activity log of all smartlocks",
                description.replace(
                    "Activity log entries", "Activity log entries of every lock of the account"
                ),
                tag="Smartlock logs",
                scopes=["smartlock.log"],
                parameters=filters,
                success=ok(
                    "The entries.", {"type": "array", "items": ref("SmartlockLog"), "maxItems": 50}
                ),
                errors={400: "A filter is not valid, or id is no known entry.", 401: E401},
            ),
        },
    }


def _webhook_paths() -> dict[str, Any]:
    key_errors = {
        400: "apiKeyId is not a valid number.",
        401: E401,
        403: "The API key belongs to another account: `Forbidden`.",
        404: "No such API key.",
    }
    scopes = ["webhook.decentral", "account"]
    return {
        "/api/decentralWebhook": {
            "get": _op(
                "listDecentralWebhooks",
                "List decentral webhooks",
                "The account's decentral webhook subscriptions.",
                tag="Webhooks",
                scopes=["webhook.decentral"],
                success=ok(
                    "The subscriptions.", {"type": "array", "items": ref("DecentralWebhook")}
                ),
                errors={401: E401},
            ),
            "put": _op(
                "createDecentralWebhook",
                "Register a decentral webhook",
                "Subscribe a URL to event kinds. Every event is POSTed as JSON, signed with "
                "X-Nuki-Signature-SHA256 (hex HMAC-SHA256 of the body keyed by the returned "
                "secret), in event order, at least once: a failed delivery is retried with "
                "growing delays, and the subscription is deactivated after too many failures "
                "in a row (undelivered events are kept).",
                tag="Webhooks",
                scopes=["webhook.decentral"],
                body=request_body(ref("DecentralWebhookCreate"), "The subscription."),
                success=ok("The subscription, with its secret.", ref("DecentralWebhook")),
                errors={
                    400: E400_BODY + " An unknown or repeated feature, or a URL that is not https.",
                    401: E401,
                    413: E413,
                },
            ),
        },
        "/api/decentralWebhook/{webhookId}": {
            "parameters": [param("webhookId")],
            "delete": _op(
                "deleteDecentralWebhook",
                "Delete a decentral webhook",
                "Remove the subscription at once (204, no body); its undelivered events are dropped.",
                tag="Webhooks",
                scopes=["webhook.decentral"],
                success=empty("Deleted; the body is empty."),
                errors={
                    400: "webhookId is not a valid number.",
                    401: E401,
                    403: "The webhook belongs to another account: `Forbidden`.",
                    404: "No such webhook.",
                },
            ),
        },
        "/api/key/{apiKeyId}/webhook/logs": {
            "parameters": [param("apiKeyId")],
            "get": _op(
                "listWebhookLogs",
                "List webhook delivery logs",
                "Delivery attempts of the API key's subscriptions, newest first; the last 300 "
                "are kept. At most `limit` (default 50, capped at 100); pass the last entry's id "
                "as `id` to get older ones.",
                tag="Webhooks",
                scopes=scopes,
                parameters=[
                    query(
                        "id",
                        {"type": "string", "pattern": OBJECT_ID},
                        "Cursor: only attempts older than this one (400 if no such attempt).",
                    ),
                    query(
                        "limit",
                        {**integer("Maximum entries.", minimum=1), "default": 50},
                        "How many to return (default 50; values above 100 are treated as 100).",
                    ),
                ],
                success=ok(
                    "The attempts.",
                    {"type": "array", "items": ref("WebhookLog"), "maxItems": 100},
                ),
                errors={**key_errors, 400: "apiKeyId, id or limit is not valid."},
            ),
        },
        "/api/key/{apiKeyId}/advanced/reactivate": {
            "parameters": [param("apiKeyId")],
            "post": _op(
                "reactivateWebhooks",
                "Reactivate deactivated webhooks",
                "Reactivate the API key's subscriptions: delivery resumes where it stopped, at "
                "once (204, no body).",
                tag="Webhooks",
                scopes=scopes,
                success=empty("Reactivated; the body is empty."),
                errors=key_errors,
            ),
        },
    }


def _meta_paths() -> dict[str, Any]:
    return {
        "/openapi.json": {
            "get": operation(
                "getOpenApi",
                "This document",
                "The simulator's OpenAPI 3.1 document. Needs no token.",
                tag="Simulator",
                security=[],
                success=ok(
                    "The OpenAPI document.",
                    {"type": "object", "required": ["openapi", "info", "paths", "components"]},
                ),
                errors={},
            )
        }
    }


# --- reusable parameters ---------------------------------------------------------


def _parameters() -> dict[str, Any]:
    return {
        "smartlockId": {
            "name": "smartlockId",
            "in": "path",
            "required": True,
            "description": "The lock's id (digits only).",
            "schema": integer("Lock id.", minimum=0, maximum=INT64_MAX, int64=True),
        },
        "authId": {
            "name": "authId",
            "in": "path",
            "required": True,
            "description": "The authorization's id (SmartlockAuth.id, a 24-hex ObjectId).",
            "schema": {"type": "string", "pattern": OBJECT_ID},
        },
        "types": query(
            "types",
            {"type": "array", "items": integer("An authorization type (see SmartlockAuth.type).")},
            "Only authorizations of these types, comma-separated (e.g. 0,2,13).",
            style="form",
            explode=False,
        ),
        "includeEmail": query(
            "includeEmail",
            {"type": "boolean"},
            "Accepted for compatibility (true or false); the simulator models no e-mails.",
        ),
        "accountUserId": query(
            "accountUserId",
            integer("Account user id.", minimum=-(2**31)),
            "Only entries of this account user; for authorizations, a negative value selects "
            "those without a user.",
        ),
        "fromDate": query(
            "fromDate",
            {"type": "string", "format": "date-time"},
            "Only entries at or after this instant.",
        ),
        "toDate": query(
            "toDate",
            {"type": "string", "format": "date-time"},
            "Only entries at or before this instant.",
        ),
        "action": query(
            "action",
            integer("A log action.", minimum=0, maximum=255),
            "Only entries with this action.",
        ),
        "logId": query(
            "id",
            {"type": "string", "pattern": OBJECT_ID},
            "Cursor: only entries older than the entry with this id (400 if no such entry).",
        ),
        "webhookId": {
            "name": "webhookId",
            "in": "path",
            "required": True,
            "description": "The decentral webhook's id (digits only).",
            "schema": integer("Webhook id.", minimum=0, maximum=INT64_MAX, int64=True),
        },
        "apiKeyId": {
            "name": "apiKeyId",
            "in": "path",
            "required": True,
            "description": "The API key's id (digits only).",
            "schema": integer("API key id.", minimum=0, maximum=INT64_MAX, int64=True),
        },
        "limit": query(
            "limit",
            {**integer("Maximum entries.", minimum=1), "default": 20},
            "How many entries to return (default 20; values above 50 are treated as 50).",
        ),
    }


def document() -> dict[str, Any]:
    """The OpenAPI 3.1 document, built afresh (callers may change their copy)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Nuki Web API (nuki-sim)",
            "version": package_version(),
            "summary": "A faithful fake of Nuki Web's smart lock REST API.",
            "description": INFO_DESCRIPTION,
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": "/", "description": "The simulator serving this document."}],
        "tags": [
            {"name": "Account", "description": "The token's account."},
            {"name": "Smartlock", "description": "Locks and their master data."},
            {"name": "Smartlock actions", "description": "Operating locks and syncing them."},
            {
                "name": "Smartlock authorizations",
                "description": "App users, fobs and keypad codes.",
            },
            {"name": "Smartlock logs", "description": "Activity logs."},
            {"name": "Webhooks", "description": "Decentral webhooks and their delivery logs."},
            {"name": "Simulator", "description": "Routes of the simulator itself."},
            {
                "name": openapi_control.TAG,
                "description": "`/_sim`: steer the simulated world (not part of Nuki Web).",
            },
        ],
        "security": [{"bearerAuth": []}],
        "paths": {
            **_account_paths(),
            **_lock_paths(),
            **_action_paths(),
            **_lock_auth_paths(),
            **_bulk_auth_paths(),
            **_log_paths(),
            **_webhook_paths(),
            **_meta_paths(),
            **openapi_control.control_paths(),
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": BEARER_DESCRIPTION,
                },
                "controlToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": openapi_control.CONTROL_TOKEN_DESCRIPTION,
                },
            },
            "schemas": {**schemas(), **openapi_control.control_schemas()},
            "parameters": {**_parameters(), **openapi_control.control_parameters()},
            "headers": headers(),
        },
    }


async def handler(request: web.Request) -> web.Response:
    return respond.json_response(document())
