"""Nuki Web's operations on accounts, locks, authorizations and logs: one entry each.

Verbs are Nuki's: PUT creates, POST updates, DELETE deletes. Each entry names the scopes
that allow it (checked once, before the body is read), the domain call, what it answers and
the errors it documents; the routes and the OpenAPI document are both built from it.
"""

from __future__ import annotations

from typing import Annotated

from aiohttp import web

from nuki_sim.simulator.domain import quirks, wire
from nuki_sim.simulator.domain.api import CloudAuth, Session, open_session
from nuki_sim.simulator.domain.codes import Action, AuthType
from nuki_sim.simulator.domain.describe import OBJECT_ID, doc
from nuki_sim.simulator.domain.model import Auth, AuthChanges, Lock
from nuki_sim.simulator.domain.shapes import (
    MyAccount,
    PagedAuths,
    Pagination,
    Smartlock,
    SmartlockAuth,
    SmartlockLog,
)
from nuki_sim.simulator.http import parse, queries, respond
from nuki_sim.simulator.http.keys import AUTH_LISTINGS, SMARTLOCK_BODIES, WORLD, BodyCache
from nuki_sim.simulator.http.operations import Body, Call, Operation
from nuki_sim.simulator.http.params import integer, param, query
from nuki_sim.simulator.http.schema import ref

LOCK = "/smartlock/{smartlockId}"
READ_LOCKS = ("smartlock", "smartlock.readOnly")
AUTH = ("smartlock.auth",)
ACTION = ("smartlock.action",)
LOG = ("smartlock.log",)

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
E423_AUTHS = "A change to one of the authorizations is still waiting to reach its lock."
E423_LOCK = "Another action on this lock is still queued or its motor is still moving."
E404_AUTHS = (
    "No authorization with one of the ids in the account: `Smartlock authorization not found`."
)

LOCK_READ = {400: E400_ID, 401: E401, 403: E403, 404: E404_LOCK}
AUTH_READ = {
    **LOCK_READ,
    404: E404_LOCK
    + " Or no such authorization in the cloud's copy: `Smartlock authorization not found`.",
}
LOG_DESCRIPTION = (
    "Activity log entries as the cloud has them (an offline lock uploads its entries when "
    "it reconnects), newest first. At most `limit` entries (default 20, capped at 50); "
    "pass the last entry's id as `id` to get the next, older ones."
)
LOG_FILTERS = [
    param(n) for n in ("accountUserFilter", "fromDate", "toDate", "action", "logId", "limit")
]
AUTH_FILTERS = [param("types"), param("accountUserFilter")]

Auths = list[SmartlockAuth]
Logs = Annotated[list[SmartlockLog], doc(maxItems=50)]


def session(request: web.Request) -> Session:
    """The caller of a Nuki Web route: the session of its bearer token (or a 401)."""
    return open_session(request.app[WORLD], request.headers.get("Authorization"))


def allow(api: Session, scopes: tuple[str, ...]) -> None:
    api.require(*scopes)


def auths_json(items: list[CloudAuth]) -> list[SmartlockAuth]:
    return [wire.smartlock_auth(i.auth, operation_id=i.operation_id, error=i.error) for i in items]


_FRAGMENT = "_nuki_sim_json"  # where an Auth keeps its own encoded SmartlockAuth


def auth_fragment(item: CloudAuth) -> str:
    """``item`` encoded as a SmartlockAuth. An Auth is a frozen value, so its JSON is encoded
    once and kept on it (a change is a new Auth); only an entry with a pending operation or an
    error is encoded each time."""
    auth = item.auth
    if item.operation_id is not None or item.error is not None:
        return respond.dumps(
            wire.smartlock_auth(auth, operation_id=item.operation_id, error=item.error)
        )
    fragment: str | None = auth.__dict__.get(_FRAGMENT)
    if fragment is None:
        fragment = respond.dumps(wire.smartlock_auth(auth))
        object.__setattr__(auth, _FRAGMENT, fragment)  # not a field: eq, replace, repr ignore it
    return fragment


def encoded_auths(items: list[CloudAuth]) -> bytes:
    """The JSON list of ``items``, byte for byte what encoding :func:`auths_json` gives."""
    return ("[" + ",".join([auth_fragment(i) for i in items]) + "]").encode("utf-8")


def list_lock_auths(api: Session, call: Call) -> bytes:
    """``GET /smartlock/{smartlockId}/auth``, encoded. The unfiltered listing is kept per lock
    while the cloud's copy is unchanged (lifecycle bumps its version on every change)."""
    lock = api.lock(call.ids["smartlockId"])
    only = queries.lock_auth_filter(call.query)
    if only.types is not None:
        return encoded_auths(api.auths(lock, only))
    cache, cloud = call.request.app[AUTH_LISTINGS], lock.cloud
    hit = cache.get(lock.smartlock_id)
    if hit is not None and hit[0] is cloud and hit[1] == cloud.version and hit[2] is cloud.auths:
        return hit[3]
    body = encoded_auths(api.auths(lock, only))
    cache[lock.smartlock_id] = (cloud, cloud.version, cloud.auths, body)
    return body


def render_json(request: web.Request, body: bytes) -> web.Response:
    return web.Response(body=body, content_type="application/json", charset="utf-8")


def render_smartlock(request: web.Request, lock: Lock) -> web.Response:
    body = encoded_smartlock(request.app[SMARTLOCK_BODIES], lock)
    return web.Response(body=body, content_type="application/json", charset="utf-8")


def encoded_smartlock(cache: BodyCache, lock: Lock) -> bytes:
    """The encoded Smartlock, reused while nothing it shows has changed: the hottest read of a
    polling client, answered without rebuilding 60 keys each time (one cache per app)."""
    key = (
        lock.account_id, lock.name, lock.favorite, lock.update_date, lock.creation_date,
        lock.device.keypad_paired, lock.device.timezone, lock.device.online, lock.cloud.status,
        lock.auth_id, lock.type, lock.product_variant, lock.firmware_version,
        lock.hardware_version, lock.latitude, lock.longitude, lock.cloud.config,
        lock.cloud.web_config,
    )  # fmt: skip
    cached = cache.get(lock.smartlock_id)
    if cached is not None and cached[0] == key:
        return cached[1]
    body = respond.dumps(wire.smartlock(lock)).encode("utf-8")
    cache[lock.smartlock_id] = (key, body)
    return body


def paged(api: Session, call: Call) -> PagedAuths:
    """A page of authorizations; the neighbouring pages' numbers are strings, as Nuki's
    Swagger declares them, and absent at either end."""
    page = api.auths_paged(queries.auth_filter(call.query), queries.page_request(call.query))
    pages = -(-page.total // page.size) if page.total else 0
    pagination: Pagination = {
        "totalItems": page.total,
        "totalPages": pages,
        "currentPage": page.page,
        "pageSize": page.size,
    }
    if page.page + 1 < pages:
        pagination["nextPage"] = str(page.page + 1)
    if page.page > 0:
        pagination["prevPage"] = str(page.page - 1)
    return {"results": auths_json(page.results), "pagination": pagination}


# Where a domain check and a body check could both refuse a request, the domain's comes
# first, as it always has: each call finds its targets before it parses what to do to them.


def create_auth(api: Session, smartlock_id: int, body: object) -> None:
    """``PUT /smartlock/{smartlockId}/auth`` with ``body`` (decoded JSON)."""
    api.create_auth([api.lock(smartlock_id)], parse.auth_create(body))


def bulk_create(api: Session, call: Call) -> None:
    ids = parse.smartlock_ids(call.body)
    api.create_auth(api.locks(ids), parse.auth_create(call.body))


def _changes(
    api: Session, smartlock_id: int | None, auth_id: str, body: object
) -> tuple[Lock, Auth, AuthChanges]:
    lock, auth = api.find_auth(smartlock_id, auth_id)
    keep = quirks.PARTIAL_UPDATE_CLEARS_TIMES not in api.world.config.quirks
    return (
        lock,
        auth,
        parse.auth_changes(body, keypad=auth.type == AuthType.KEYPAD_CODE, keep_omitted=keep),
    )


def update_auth(api: Session, smartlock_id: int, auth_id: str, body: object) -> None:
    """``POST /smartlock/{smartlockId}/auth/{authId}`` with ``body`` (decoded JSON)."""
    api.update_auths([_changes(api, smartlock_id, auth_id, body)])


def bulk_update(api: Session, call: Call) -> None:
    items = parse.bulk_updates(call.body)
    api.update_auths(_changes(api, None, str(item["id"]), item) for item in items)


def bulk_delete(api: Session, call: Call) -> None:
    api.delete_auths([(None, auth_id) for auth_id in parse.auth_id_list(call.body)])


def action(api: Session, call: Call) -> None:
    verb, option = parse.action(call.body)
    api.action(call.ids["smartlockId"], verb, option)


def update_smartlock(api: Session, call: Call) -> None:
    api.update_smartlock(api.lock(call.ids["smartlockId"]), parse.smartlock_update(call.body))


def _simple_action(operation_id: str, verb: str, value: int) -> Operation:
    return Operation(
        "POST", f"{LOCK}/action/{verb}", operation_id, "Smartlock actions", f"{verb.capitalize()} a smartlock",
        f"Shortcut for POST /smartlock/{{smartlockId}}/action with action {value} ({verb}); "
        "no body." + QUEUED_ACTION,
        lambda api, c: api.action(c.ids["smartlockId"], Action(value)),
        scopes=ACTION, errors={**LOCK_READ, 423: E423_LOCK},
    )  # fmt: skip


OPERATIONS: list[Operation] = [
    Operation(
        "GET", "/account", "getAccount", "Account", "Get the account", "The account the token belongs to.",
        lambda api, c: wire.account(api.account(), api.account_extras()),
        scopes=("account",), reply=MyAccount, reply_text="The account.", errors={401: E401},
    ),
    Operation(
        "GET", "/smartlock", "listSmartlocks", "Smartlock", "List the account's smartlocks",
        "Every lock of the token's account, optionally filtered.",
        lambda api, c: [wire.smartlock(lk) for lk in api.smartlocks(queries.lock_filter(c.query))],
        scopes=READ_LOCKS, reply=list[Smartlock], reply_text="The locks.",
        query=[
            query("authId", integer("Slot id.", minimum=0),
                  "Only locks whose Web API authorization has this slot."),
            query("type", integer("Device type.", minimum=0, maximum=255),
                  "Only locks of this device type."),
        ],
        errors={400: "authId or type is not a valid number.", 401: E401},
    ),
    Operation(
        "GET", LOCK, "getSmartlock", "Smartlock", "Get a smartlock",
        "One lock, with its config, advanced config and state as the cloud last learned them.",
        lambda api, c: api.lock(c.ids["smartlockId"]),
        scopes=READ_LOCKS, reply=Smartlock, reply_text="The lock.", errors=LOCK_READ,
        render=render_smartlock,
    ),
    Operation(
        "POST", LOCK, "updateSmartlock", "Smartlock", "Update a smartlock",
        "Change the lock's name or favourite flag in the cloud. Applied at once (204, no "
        "body); this does not wait for the lock.",
        update_smartlock,
        scopes=("smartlock",), body=Body(ref("SmartlockUpdate"), "The new master data."),
        reply_text="Updated; the body is empty.",
        errors={**LOCK_READ, 400: E400_BODY + " A name has 1 to 32 characters.", 413: E413},
    ),
    Operation(
        "DELETE", LOCK, "deleteSmartlock", "Smartlock", "Delete a smartlock",
        "Remove the lock from the account at once (204, no body).",
        lambda api, c: api.delete_smartlock(c.ids["smartlockId"]),
        scopes=("smartlock",), reply_text="Deleted; the body is empty.", errors=LOCK_READ,
    ),
    Operation(
        "POST", LOCK + "/action", "actionSmartlock", "Smartlock actions", "Run a lock action",
        "Unlock, lock, unlatch, lock 'n' go or lock 'n' go with unlatch (an opener: ring to "
        "open on/off, open, continuous mode on/off)." + QUEUED_ACTION,
        action, scopes=ACTION, body=Body(ref("SmartlockAction"), "The action to run."),
        errors={
            **LOCK_READ, 400: E400_BODY + " action is one the lock's model takes (smart "
            "locks 1 to 5, an opener 1, 2, 3, 6, 7, a box 1), option 0 to 7.", 413: E413,
            423: E423_LOCK,
        },
    ),
    _simple_action("lockSmartlock", "lock", 2),
    _simple_action("unlockSmartlock", "unlock", 1),
    Operation(
        "POST", LOCK + "/sync", "syncSmartlock", "Smartlock actions", "Sync a smartlock",
        'Like Nuki Web\'s "Update now": deliver what is queued for the lock, then make the '
        "cloud's copy (state, authorizations, activity log) equal the lock's. Always answers "
        "204; on an offline lock it does nothing.",
        lambda api, c: api.sync(c.ids["smartlockId"]),
        scopes=ACTION, reply_text="Accepted; the body is empty.", errors=LOCK_READ,
    ),
    # --- authorizations of one lock ---------------------------------------------------------
    Operation(
        "GET", LOCK + "/auth", "listSmartlockAuths", "Smartlock authorizations", "List a smartlock's authorizations",
        "The authorizations the cloud knows for the lock, as of the lock's last sync: a change "
        "accepted with 204 appears here only after the next sync.",
        list_lock_auths,
        scopes=AUTH, reply=Auths, reply_text="The authorizations.", render=render_json,
        query=[param("types"), param("includeEmail")],
        errors={**LOCK_READ, 400: E400_ID + " Or types/includeEmail is not valid."},
    ),
    Operation(
        "PUT", LOCK + "/auth", "createSmartlockAuth", "Smartlock authorizations", "Create an authorization on a smartlock",
        "Create an app authorization or a keypad code. The reply has no id: list the lock's "
        "authorizations after the next sync and find it by name." + QUEUED,
        lambda api, c: create_auth(api, c.ids["smartlockId"], c.body),
        scopes=AUTH, body=Body(ref("SmartlockAuthCreate"), "The new authorization."),
        errors={
            **LOCK_READ, 400: E400_BODY + " Also for type 13 on a lock without a keypad.",
            409: E409, 413: E413, 422: E422,
        },
    ),
    Operation(
        "GET", LOCK + "/auth/{authId}", "getSmartlockAuth", "Smartlock authorizations", "Get an authorization",
        "One authorization of the lock, as of the lock's last sync.",
        lambda api, c: auths_json([api.auth(c.ids["smartlockId"], c.ids["authId"])])[0],
        scopes=AUTH, reply=SmartlockAuth, reply_text="The authorization.", errors=AUTH_READ,
    ),
    Operation(
        "POST", LOCK + "/auth/{authId}", "updateSmartlockAuth", "Smartlock authorizations", "Update an authorization",
        "Change an authorization. The five time fields are replaced: an omitted one is "
        "cleared (unless the quirk partial-update-clears-times is switched off)." + QUEUED,
        lambda api, c: update_auth(api, c.ids["smartlockId"], c.ids["authId"], c.body),
        scopes=AUTH, body=Body(ref("SmartlockAuthUpdate"), "The changes."),
        errors={
            **AUTH_READ, 400: E400_BODY, 409: E409_UPDATE, 413: E413, 422: E422,
            423: E423_AUTH,
        },
    ),
    Operation(
        "DELETE", LOCK + "/auth/{authId}", "deleteSmartlockAuth", "Smartlock authorizations", "Delete an authorization",
        "Remove an authorization from the lock." + QUEUED,
        lambda api, c: api.delete_auths([(c.ids["smartlockId"], c.ids["authId"])]),
        scopes=AUTH, errors={**AUTH_READ, 423: E423_AUTH},
    ),
    # --- authorizations across locks (bulk) -------------------------------------------------
    Operation(
        "GET", "/smartlock/auth", "listAuths", "Smartlock authorizations", "List the authorizations of all smartlocks",
        "Every authorization of every lock of the account, as of each lock's last sync.",
        lambda api, c: encoded_auths(api.all_auths(queries.auth_filter(c.query))),
        scopes=AUTH, reply=Auths, reply_text="The authorizations.", query=AUTH_FILTERS,
        render=render_json,
        errors={400: "types or accountUserId is not valid.", 401: E401},
    ),
    Operation(
        "PUT", "/smartlock/auth", "createAuths", "Smartlock authorizations", "Create an authorization on several smartlocks",
        "Like PUT /smartlock/{smartlockId}/auth for each lock in smartlockIds; every lock is "
        "checked before any is changed." + QUEUED,
        bulk_create, scopes=AUTH,
        body=Body(ref("SmartlocksAuthCreate"), "The new authorization and its locks."),
        errors={
            400: E400_BODY + " smartlockIds is a non-empty list of lock ids.", 401: E401,
            403: "One of the locks belongs to another account: `Forbidden`.",
            404: "One of the locks does not exist: `Smartlock not found`.",
            409: E409, 413: E413, 422: E422,
        },
    ),
    Operation(
        "POST", "/smartlock/auth", "updateAuths", "Smartlock authorizations", "Update several authorizations",
        "Apply several updates, each naming its authorization by id; all are checked before "
        "any is queued." + QUEUED,
        bulk_update, scopes=AUTH,
        body=Body(
            {"type": "array", "items": ref("SmartlockAuthMultiUpdate"), "minItems": 1},
            "The updates.",
        ),
        errors={
            400: E400_BODY + " The body is a non-empty array of objects with a string id.",
            401: E401, 404: E404_AUTHS, 409: E409_UPDATE, 413: E413, 422: E422,
            423: E423_AUTHS,
        },
    ),
    Operation(
        "DELETE", "/smartlock/auth", "deleteAuths", "Smartlock authorizations", "Delete several authorizations",
        "Remove the authorizations with the given ids, across locks." + QUEUED,
        bulk_delete, scopes=AUTH,
        body=Body(
            {"type": "array", "items": {"type": "string", "pattern": OBJECT_ID}, "minItems": 1},
            "The ids of the authorizations to delete.",
        ),
        errors={
            400: "The body is missing or not a non-empty JSON array of id strings.",
            401: E401, 404: E404_AUTHS, 413: E413, 423: E423_AUTHS,
        },
    ),
    Operation(
        "GET", "/smartlock/auth/paged", "listAuthsPaged", "Smartlock authorizations",
        "List the authorizations of all smartlocks, page by page",
        "Like GET /smartlock/auth, one page at a time.",
        paged, scopes=AUTH, reply=PagedAuths, reply_text="One page.",
        query=[
            *AUTH_FILTERS,
            query("page", {**integer("Page number.", minimum=0), "default": 0}, "The page, from 0."),
            query("size", {**integer("Page size.", minimum=1, maximum=1000), "default": 100},
                  "Items per page."),
        ],
        errors={400: "types, accountUserId, page or size is not valid.", 401: E401},
    ),
    # --- activity log -----------------------------------------------------------------------
    Operation(
        "GET", LOCK + "/log", "listSmartlockLogs", "Smartlock logs", "List a smartlock's activity log",
        LOG_DESCRIPTION,
        lambda api, c: [
            wire.smartlock_log(e)
            for e in api.logs(
                [api.lock(c.ids["smartlockId"])], queries.log_query(c.query, one_lock=True)
            )
        ],
        scopes=LOG, reply=Logs, reply_text="The entries.",
        query=[
            query("authId", {"type": "string"},
                  "Only entries of this authorization slot (as in SmartlockLog.authId)."),
            *LOG_FILTERS,
        ],
        errors={**LOCK_READ, 400: E400_ID + " Or a filter is not valid, or id is no known entry."},
    ),
    Operation(
        "GET", "/smartlock/log", "listLogs", "Smartlock logs", "List the activity log of all smartlocks",
        LOG_DESCRIPTION.replace(
            "Activity log entries", "Activity log entries of every lock of the account"
        ),
        lambda api, c: [
            wire.smartlock_log(e) for e in api.logs(None, queries.log_query(c.query, one_lock=False))
        ],
        scopes=LOG, reply=Logs, reply_text="The entries.", query=LOG_FILTERS,
        errors={400: "A filter is not valid, or id is no known entry.", 401: E401},
    ),
]  # fmt: skip
