"""The simulator's API surface: its areas of operations, and the OpenAPI 3.1 document of them.

The routes (:func:`nuki_sim.simulator.http.operations.add_routes`) and ``GET /openapi.json``
are built from the same :func:`areas`; the document is built once per kind of app (with or
without the ``/_sim`` control plane) and served as the same bytes every time.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Annotated, Any

from aiohttp import web

from nuki_sim.simulator.domain import control_shapes, shapes, shapes_catalogue, user_shapes
from nuki_sim.simulator.domain.describe import Raw
from nuki_sim.simulator.http import (
    account_ops,
    address_ops,
    advanced_ops,
    apikey_ops,
    bodies,
    catalogue_ops,
    config_ops,
    control_ops,
    notification_ops,
    nuki_ops,
    respond,
    user_ops,
    webhook_ops,
)
from nuki_sim.simulator.http.keys import OPENAPI
from nuki_sim.simulator.http.openapi_doc import headers, paths
from nuki_sim.simulator.http.operations import Area, Operation
from nuki_sim.simulator.http.params import NUKI_PATH, PARAMETERS
from nuki_sim.simulator.http.schema import Components
from nuki_sim.simulator.version import package_version

INFO_DESCRIPTION = """\
This is nuki-sim's own document: it describes the fake Nuki Web cloud as the simulator serves \
it, not Nuki's published specification (https://api.nuki.io/static/swagger/swagger.json), whose \
operations it serves (docs/api.md has the coverage table). Nuki's objects carry Nuki's names, \
types and enums; each requires only what Nuki's Swagger 4.18.0 requires and none is closed \
(Nuki may add fields), so a client validated against this document accepts real payloads.

Real behaviours the simulator reproduces:

* **Nuki's verbs**: PUT creates, POST updates, DELETE deletes; any other verb on a known path \
is answered with 405 and an `Allow` header.
* **Asynchronous writes**: a write that reaches the lock answers 204 as soon as it is queued. \
An online lock receives it after the push delay (a few seconds); an offline lock receives \
everything queued, in order, when it reconnects. `GET .../auth` lists a change only once the \
cloud has heard back from the lock: at its next sync (`POST /smartlock/{smartlockId}/sync` or \
the daily automatic sync) or when it reconnects. That is the default profile, `seed`; under the \
`nuki-docs` profile (`nuki-sim serve --profile nuki-docs`, `GET /_sim/config` says which) a \
change is listed, and `DEVICE_AUTHS` sent, a short delay after the lock applied it, and \
duplicate and capacity checks count changes still pending.
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
suffices. Scopes: `account` (the account, its users, sub accounts, API keys, addresses, \
services), `smartlock` (view and manage locks), `smartlock.readOnly` (view locks), \
`smartlock.action` (operate locks and trigger a sync), `smartlock.auth` (view and manage \
authorizations), `smartlock.log` (view activity logs; notification configurations), \
`smartlock.config` (write lock, opener, smart door and web configs, the admin PIN), \
`notification` (notification configurations), `webhook.decentral` (manage decentral \
webhooks). Operations for which Nuki's Swagger lists no scope take any valid token; the \
opener catalogue, address token info and the password reset need none.
"""

AREA_MODULES = (account_ops, notification_ops, apikey_ops, config_ops, advanced_ops, address_ops)
"""One module per area of Nuki Web added after the lock routes, each with ``TAGS``,
``OPERATIONS`` (joined into :data:`NUKI`), ``AREAS`` (their own) and ``COMPONENTS``."""

TAGS = [
    {"name": "Account", "description": "The token's account."},
    {"name": "Account users", "description": "The account's users (type-0 auths name one)."},
    {"name": "Smartlock", "description": "Locks and their master data."},
    {"name": "Smartlock actions", "description": "Operating locks and syncing them."},
    {"name": "Smartlock authorizations", "description": "App users, fobs and keypad codes."},
    {"name": "Smartlock logs", "description": "Activity logs."},
    {"name": "Webhooks", "description": "Decentral webhooks and their delivery logs."},
    {"name": "Opener", "description": "The intercom catalogue for Nuki Opener (sample data)."},
    {"name": "Services", "description": "Third-party services an account links (sample data)."},
    *(tag for module in AREA_MODULES for tag in module.TAGS),
    {"name": "Simulator", "description": "Routes of the simulator itself."},
]
CONTROL_TAG = {
    "name": control_ops.TAG,
    "description": "`/_sim`: steer the simulated world (not part of Nuki Web).",
}


def _serve_document(request: web.Request, _: object) -> web.Response:
    return web.Response(body=request.app[OPENAPI], content_type="application/json", charset="utf-8")


NUKI = Area(
    operations=[
        *nuki_ops.OPERATIONS,
        *user_ops.OPERATIONS,
        *webhook_ops.OPERATIONS,
        *(op for module in AREA_MODULES for op in module.OPERATIONS),
    ],
    params=NUKI_PATH,
    caller=nuki_ops.session,
    allow=nuki_ops.allow,
    security=lambda op: [{"bearerAuth": [scope]} for scope in op.scopes],
    catch_up=True,
    first=(nuki_ops.LOCK, nuki_ops.LOCK + "/auth"),
)
META = Area(
    operations=[
        Operation(
            "GET",
            "/openapi.json",
            "getOpenApi",
            "Simulator",
            "This document",
            "The simulator's OpenAPI 3.1 document. Needs no token.",
            lambda _, call: None,
            reply=Annotated[
                dict[str, Any],
                Raw({"type": "object", "required": ["openapi", "info", "paths", "components"]}),
            ],
            reply_text="The OpenAPI document.",
            render=_serve_document,
        )
    ],
    params={},
    caller=lambda request: None,
    allow=lambda caller, scopes: None,
    security=lambda op: [],
)


def areas(control: bool) -> list[Area]:
    """Every area of operations an app serves; ``control``: with the ``/_sim`` control plane."""
    own = [area for module in AREA_MODULES for area in module.AREAS]
    nuki = [NUKI, catalogue_ops.OPENER, catalogue_ops.ACCOUNT_AREA, *own, META]
    return [*nuki, control_ops.AREA] if control else nuki


def _components(control: bool, strict: bool) -> Components:
    components = Components(strict=strict, required=shapes.NUKI_REQUIRED)
    named: tuple[type, ...] = (
        shapes.Smartlock, shapes.SmartlockConfig, shapes.SmartlockAdvancedConfig,
        shapes.SmartlockState, shapes.SmartlockLog, shapes.MyAccount, shapes.DecentralWebhook,
        shapes.WebhookLog, shapes.PagedAuths, shapes.DetailError, shapes.RestletError,
        shapes.BareError, user_shapes.AccountUser,
    )  # fmt: skip
    for shape in named:
        components.add(shape)
    if control:
        for shape in control_shapes.COMPONENTS:
            components.add(shape, closed=True)
    components.add(shapes.SmartlockAuth, extra=shapes.KEYPAD_CODE_RULE)
    for body in bodies.OPEN_BODIES:
        components.add(body)
    for name, schema in bodies.COMPOSED.items():
        components.add_schema(name, schema)
    for shape in shapes_catalogue.COMPONENTS:
        components.add(shape)
    for module in AREA_MODULES:
        for shape in module.COMPONENTS:
            components.add(shape)
    if control:
        components.add(control_shapes.SimFaultCreate)
    return components


def build(control: bool = True, *, strict: bool = False) -> dict[str, Any]:
    """The OpenAPI 3.1 document of an app with (or without) the control plane.

    ``strict``: the view the simulator's own tests check replies against, every object closed
    and every field the simulator always sends required (see :mod:`.schema`); never served.
    """
    components = _components(control, strict)
    all_paths = paths(areas(control), components)
    schemes: dict[str, Any] = {
        "bearerAuth": {"type": "http", "scheme": "bearer", "description": BEARER_DESCRIPTION}
    }
    parameters = dict(PARAMETERS)
    tags = list(TAGS)
    if control:
        schemes["controlToken"] = {
            "type": "http",
            "scheme": "bearer",
            "description": control_ops.CONTROL_TOKEN_DESCRIPTION,
        }
        tags.append(CONTROL_TAG)
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
        "tags": tags,
        "security": [{"bearerAuth": []}],
        "paths": all_paths,
        "components": {
            "securitySchemes": schemes,
            "schemas": components.written(),
            "parameters": parameters,
            "headers": headers(),
        },
    }


@cache
def encoded(control: bool = True) -> bytes:
    """The document as served: built once per kind of app."""
    return respond.dumps(build(control)).encode("utf-8")


@cache
def _strict() -> bytes:
    return respond.dumps(build(True, strict=True)).encode("utf-8")


def document(control: bool = True, *, strict: bool = False) -> dict[str, Any]:
    """The OpenAPI document (a fresh copy: callers may change theirs); ``strict``: the tests'
    view of it, with the control plane."""
    return json.loads(_strict() if strict else encoded(control))  # type: ignore[no-any-return]
