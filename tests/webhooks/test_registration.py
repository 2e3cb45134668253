"""Registering decentral webhooks over real HTTP (fact sheet §3.4, §6.2).

``PUT /api/decentralWebhook`` takes ``{webhookUrl, webhookFeatures}`` and answers the
subscription with its ``id`` and ``secret``; an unknown feature or a bad URL is a 400.
The simulator takes https anywhere and plain http only to a loopback host (local test
receivers). Every webhook route needs the ``webhook.decentral`` scope (401 without it);
a token sees and deletes only its own account's subscriptions (403 for another's).
"""

from __future__ import annotations

from typing import Any

import pytest

from nuki_sim.simulator.domain.codes import SCOPES
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient
from tests.webhooks.support import ALL_FEATURES, WEBHOOKS, subscribe

WEBHOOK_SCOPE = "webhook.decentral"
HTTPS_URL = "https://hooks.example.invalid/nuki"  # registered only: no event is ever sent
NOT_AUTHORIZED = "Your access token is not authorized"
UNKNOWN_WEBHOOK = 987_654
ERROR_KEYS = {"detailMessage", "stackTrace", "suppressedExceptions"}

ACCEPTED_URLS = [
    HTTPS_URL,
    "https://203.0.113.7:8443/hooks?tenant=1",
    "http://127.0.0.1:8080/hook",
    "http://localhost/hook",
    "http://[::1]:9000/hook",
]
REFUSED_URLS = [
    "http://example.com/hook",  # plain http to a public host
    "http://10.1.2.3/hook",  # plain http to a private, non-loopback address
    "http://192.168.0.10:8080/hook",
    "http://127.0.0.1.example.com/hook",  # looks like loopback, is a public name
    "http://localhost.example.com/hook",
    "ftp://127.0.0.1/hook",
    "127.0.0.1:8080/hook",  # no scheme
    "https://",  # no host
    "https://127.0.0.1:99999/hook",  # no such port
    "not a url",
    "",
]
REFUSED_FEATURES: list[Any] = [
    ["DEVICE_STATUS", "DOOR_BELL"],  # unknown feature
    ["device_status"],  # names are case-sensitive
    [],
    ["DEVICE_LOGS", "DEVICE_LOGS"],  # repeated
    "DEVICE_LOGS",  # not a list
    None,
]


def is_error(reply: Any, status: int) -> bool:
    return reply.status == status and set(reply.body) == ERROR_KEYS


async def other_account(api: ApiClient) -> ApiClient:
    """A second Nuki Web account with a full-scope token."""
    created = await api.post("/_sim/accounts", {"name": "Other tenant"})
    assert created.status == 201
    return api.with_token(created.body["token"])


async def listed_ids(api: ApiClient) -> set[int]:
    reply = await api.get(WEBHOOKS)
    assert reply.status == 200
    return {hook["id"] for hook in reply.body}


async def test_registration_answers_id_secret_url_and_features(api: ApiClient):
    """A valid registration answers 200 with an int id, a secret, and the URL and features."""
    first = await subscribe(api, HTTPS_URL, ["DEVICE_LOGS", "DEVICE_AUTHS"])
    second = await subscribe(api, HTTPS_URL, ALL_FEATURES)
    assert set(first) == {"id", "secret", "webhookUrl", "webhookFeatures"}
    assert first["webhookUrl"] == HTTPS_URL
    assert first["webhookFeatures"] == ["DEVICE_LOGS", "DEVICE_AUTHS"]
    assert isinstance(first["id"], int)
    assert isinstance(first["secret"], str)
    assert first["secret"]
    assert first["id"] != second["id"]
    assert first["secret"] != second["secret"]
    listed = (await api.get(WEBHOOKS)).body
    assert [hook["id"] for hook in listed] == [first["id"], second["id"]]


@pytest.mark.parametrize("url", ACCEPTED_URLS)
async def test_https_anywhere_and_http_to_loopback_are_accepted(api: ApiClient, url: str):
    """https to any host and plain http to 127.0.0.1, ::1 or localhost are registered."""
    assert (await subscribe(api, url, ["DEVICE_STATUS"]))["webhookUrl"] == url


@pytest.mark.parametrize("url", REFUSED_URLS)
async def test_bad_or_non_loopback_http_urls_are_refused(api: ApiClient, url: str):
    """A URL that is not https, or plain http to a non-loopback host, is a 400; nothing is kept."""
    reply = await api.put(WEBHOOKS, {"webhookUrl": url, "webhookFeatures": ["DEVICE_STATUS"]})
    assert is_error(reply, 400), reply.body
    assert await listed_ids(api) == set()


@pytest.mark.parametrize("features", REFUSED_FEATURES)
async def test_unknown_missing_or_repeated_features_are_refused(api: ApiClient, features: Any):
    """Features must be a non-empty list of Nuki's six names without repeats, else 400."""
    reply = await api.put(WEBHOOKS, {"webhookUrl": HTTPS_URL, "webhookFeatures": features})
    assert is_error(reply, 400), reply.body
    assert await listed_ids(api) == set()


async def test_a_body_that_is_not_an_object_is_refused(api: ApiClient):
    """A JSON array instead of the registration object is a 400."""
    reply = await api.put(WEBHOOKS, [HTTPS_URL, ["DEVICE_STATUS"]])
    assert is_error(reply, 400), reply.body


async def test_every_webhook_route_needs_the_webhook_scope(
    api: ApiClient, nuki_sim: RunningSimulator
):
    """A token without ``webhook.decentral`` gets 401 on PUT, GET and DELETE."""
    existing = await subscribe(api, HTTPS_URL, ["DEVICE_STATUS"])
    account_id = nuki_sim.demo.account.account_id
    scopes = sorted(SCOPES - {WEBHOOK_SCOPE})
    created = await api.post(f"/_sim/accounts/{account_id}/tokens", {"scopes": scopes})
    assert created.status == 201
    narrow = api.with_token(created.body["token"])
    replies = [
        await narrow.put(WEBHOOKS, {"webhookUrl": HTTPS_URL, "webhookFeatures": ALL_FEATURES}),
        await narrow.get(WEBHOOKS),
        await narrow.delete(f"{WEBHOOKS}/{existing['id']}"),
    ]
    assert [(r.status, r.detail) for r in replies] == [(401, NOT_AUTHORIZED)] * 3
    assert await listed_ids(api) == {existing["id"]}


async def test_no_token_is_401(api: ApiClient):
    """Without a bearer token the webhook routes answer 401."""
    anonymous = api.with_token(None)
    assert (await anonymous.get(WEBHOOKS)).status == 401
    body = {"webhookUrl": HTTPS_URL, "webhookFeatures": ALL_FEATURES}
    assert (await anonymous.put(WEBHOOKS, body)).status == 401


async def test_each_account_lists_only_its_own_webhooks(api: ApiClient):
    """GET lists the calling account's subscriptions and never another account's."""
    other = await other_account(api)
    mine = await subscribe(api, HTTPS_URL, ["DEVICE_STATUS"])
    theirs = await subscribe(other, HTTPS_URL, ["DEVICE_LOGS"])
    assert await listed_ids(api) == {mine["id"]}
    assert await listed_ids(other) == {theirs["id"]}


async def test_deleting_another_accounts_webhook_is_403_and_keeps_it(api: ApiClient):
    """DELETE of another account's subscription is 403 and it stays registered."""
    other = await other_account(api)
    theirs = await subscribe(other, HTTPS_URL, ["DEVICE_LOGS"])
    reply = await api.delete(f"{WEBHOOKS}/{theirs['id']}")
    assert is_error(reply, 403), reply.body
    assert await listed_ids(other) == {theirs["id"]}


async def test_deleting_an_own_webhook_is_204_and_an_unknown_one_404(api: ApiClient):
    """DELETE of an own subscription answers 204 with no body; a second DELETE is 404."""
    mine = await subscribe(api, HTTPS_URL, ["DEVICE_STATUS"])
    kept = await subscribe(api, HTTPS_URL, ["DEVICE_LOGS"])
    deleted = await api.delete(f"{WEBHOOKS}/{mine['id']}")
    assert (deleted.status, deleted.body) == (204, None)
    assert await listed_ids(api) == {kept["id"]}
    assert is_error(await api.delete(f"{WEBHOOKS}/{mine['id']}"), 404)
    assert is_error(await api.delete(f"{WEBHOOKS}/{UNKNOWN_WEBHOOK}"), 404)


async def test_another_accounts_api_key_logs_and_reactivation_are_403(
    api: ApiClient, nuki_sim: RunningSimulator
):
    """The delivery log and reactivation of another account's API key answer 403."""
    other = await other_account(api)
    demo_key = nuki_sim.demo.token.api_key_id
    assert is_error(await other.get(f"/api/key/{demo_key}/webhook/logs"), 403)
    assert is_error(await other.post(f"/api/key/{demo_key}/advanced/reactivate"), 403)
    assert (await api.get(f"/api/key/{demo_key}/webhook/logs")).status == 200


async def test_a_wrong_verb_is_not_a_registration(api: ApiClient):
    """POST on the collection is not Nuki's create verb (PUT) and registers nothing."""
    reply = await api.request(
        "POST",
        WEBHOOKS,
        json_body={"webhookUrl": HTTPS_URL, "webhookFeatures": ALL_FEATURES},
        validate=False,
    )
    assert reply.status == 405
    assert await listed_ids(api) == set()
