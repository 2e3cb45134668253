"""Nuki's decentral webhook operations and the webhook delivery log: one entry each."""

from __future__ import annotations

from typing import Annotated

from aiohttp import web

from nuki_sim.simulator.domain import quirks, wire
from nuki_sim.simulator.domain.api import Session
from nuki_sim.simulator.domain.describe import OBJECT_ID, doc
from nuki_sim.simulator.domain.shapes import DecentralWebhook, WebhookLog
from nuki_sim.simulator.http import parse, queries
from nuki_sim.simulator.http.keys import WORLD
from nuki_sim.simulator.http.nuki_ops import E400_BODY, E401, E413
from nuki_sim.simulator.http.operations import Body, Call, Operation
from nuki_sim.simulator.http.params import integer, query
from nuki_sim.simulator.http.schema import ref

TAG = "Webhooks"
SCOPE = ("webhook.decentral",)
KEY_SCOPES = ("webhook.decentral", "account")
KEY_ERRORS = {
    400: "apiKeyId is not a valid number.",
    401: E401,
    403: "The API key belongs to another account: `Forbidden`.",
    404: "No such API key.",
}


def note_own_port(request: web.Request) -> None:
    """Teach the world the port this request came in on, so no webhook is sent back to it.

    ``start_simulator`` records its port at bind time; this also covers an app served some
    other way (aiohttp's test server, an embedding application).
    """
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    if isinstance(sockname, tuple) and len(sockname) >= 2 and isinstance(sockname[1], int):
        request.app[WORLD].own_ports.add(sockname[1])


def webhook_logs(api: Session, call: Call) -> list[WebhookLog]:
    """The key's delivery log; each entry signed with its subscription's secret, if it lives."""
    attempts = api.webhook_logs(
        api.own_key(call.ids["apiKeyId"]), queries.webhook_log_query(call.query)
    )
    subs = api.world.subscriptions
    second = quirks.SECOND_SIGNATURE_HEADER in api.world.config.quirks
    return [
        wire.webhook_log(
            a, subs[a.subscription_id].secret if a.subscription_id in subs else None, second
        )
        for a in attempts
    ]


def subscribe(api: Session, call: Call) -> DecentralWebhook:
    note_own_port(call.request)
    return wire.decentral_webhook(api.subscribe(parse.registration(call.body)))


OPERATIONS = [
    Operation(
        "GET", "/api/decentralWebhook", "listDecentralWebhooks", TAG, "List decentral webhooks",
        "The account's decentral webhook subscriptions.",
        lambda api, c: [wire.decentral_webhook(s) for s in api.subscriptions()],
        scopes=SCOPE, reply=list[DecentralWebhook], reply_text="The subscriptions.",
        errors={401: E401},
    ),
    Operation(
        "PUT", "/api/decentralWebhook", "createDecentralWebhook", TAG,
        "Register a decentral webhook",
        "Subscribe a URL to event kinds. Every event is POSTed as JSON, signed with "
        "X-Nuki-Signature-SHA256 (hex HMAC-SHA256 of the body keyed by the returned secret), "
        "in event order, at least once: a failed delivery is retried with growing delays, and "
        "the subscription is deactivated after too many failures in a row (undelivered events "
        "are kept).",
        subscribe, scopes=SCOPE,
        body=Body(ref("DecentralWebhookCreate"), "The subscription."),
        reply=DecentralWebhook, reply_text="The subscription, with its secret.",
        errors={
            400: E400_BODY + " An unknown or repeated feature, or a URL that is not https.",
            401: E401, 413: E413,
        },
    ),
    Operation(
        "DELETE", "/api/decentralWebhook/{webhookId}", "deleteDecentralWebhook", TAG,
        "Delete a decentral webhook",
        "Remove the subscription at once (204, no body); its undelivered events are dropped.",
        lambda api, c: api.unsubscribe(c.ids["webhookId"]),
        scopes=SCOPE, reply_text="Deleted; the body is empty.",
        errors={
            400: "webhookId is not a valid number.", 401: E401,
            403: "The webhook belongs to another account: `Forbidden`.", 404: "No such webhook.",
        },
    ),
    Operation(
        "GET", "/api/key/{apiKeyId}/webhook/logs", "listWebhookLogs", TAG,
        "List webhook delivery logs",
        "Delivery attempts of the API key's subscriptions, newest first; the last 300 are "
        "kept. At most `limit` (default 50, capped at 100); pass the last entry's id as `id` "
        "to get older ones.",
        webhook_logs,
        scopes=KEY_SCOPES, reply=Annotated[list[WebhookLog], doc(maxItems=100)],
        reply_text="The attempts.",
        query=[
            query("id", {"type": "string", "pattern": OBJECT_ID},
                  "Cursor: only attempts older than this one (400 if no such attempt)."),
            query("limit", {**integer("Maximum entries.", minimum=1), "default": 50},
                  "How many to return (default 50; values above 100 are treated as 100)."),
        ],
        errors={**KEY_ERRORS, 400: "apiKeyId, id or limit is not valid."},
    ),
    Operation(
        "POST", "/api/key/{apiKeyId}/advanced/reactivate", "reactivateWebhooks", TAG,
        "Reactivate deactivated webhooks",
        "Reactivate the API key's subscriptions: delivery resumes where it stopped, at once "
        "(204, no body).",
        lambda api, c: api.reactivate(c.ids["apiKeyId"]),
        scopes=KEY_SCOPES, reply_text="Reactivated; the body is empty.", errors=KEY_ERRORS,
    ),
]  # fmt: skip
