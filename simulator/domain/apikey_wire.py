"""Encoders from the API key store to Nuki's shapes (:mod:`.apikey_shapes`)."""

from __future__ import annotations

from nuki_sim.simulator.domain import api_keys, apikey_shapes
from nuki_sim.simulator.domain.apikey_calls import KeyDeliveries
from nuki_sim.simulator.domain.clock import isoformat
from nuki_sim.simulator.domain.model import ApiToken

SECRET_SHOWN = ("TESTING", "ACTIVE")  # Nuki shows the client secret from TESTING on


def api_key(key: api_keys.ApiKey) -> apikey_shapes.ApiKey:
    return {
        "apiKeyId": key.api_key_id,
        "accountId": key.account_id,
        "description": key.description,
        "redirectUris": list(key.redirect_uris),
        "creationDate": isoformat(key.created),
        "apiKey": key.api_key,
    }


def key_token(
    record: api_keys.KeyToken, token: ApiToken, *, with_secret: bool = False
) -> apikey_shapes.ApiKeyToken:
    """A token of a key; the bearer token itself only in the answer that created it."""
    body: apikey_shapes.ApiKeyToken = {
        "id": record.id,
        "accountId": record.account_id,
        "description": token.name,
        "scopes": sorted(token.scopes),
        "creationDate": isoformat(record.created),
    }
    if with_secret:
        body["accessToken"] = token.token
    return body


def advanced_key(
    key: api_keys.AdvancedKey, deliveries: KeyDeliveries
) -> apikey_shapes.AdvancedApiKey:
    body: apikey_shapes.AdvancedApiKey = {
        "name": key.name,
        "country": key.country,
        "description": key.description,
        "type": key.type,
        "webhookStatus": "DEACTIVATED" if deliveries.deactivated else "ACTIVE",
        "url": key.url,
        "email": key.email,
        "webhookUrl": key.webhook_url,
        "webhookFeatures": list(key.webhook_features),
        "restricted": key.restricted,
        "status": key.status,
        "webhookSentSuccessfully": deliveries.sent_ok,
        "webhookSentErroneous": deliveries.sent_failed,
        "creationDate": isoformat(key.created),
        "updateDate": isoformat(key.updated),
    }
    if key.status in SECRET_SHOWN:
        body["secret"] = key.secret
    if deliveries.last_success is not None:
        body["lastSuccessfulPost"] = isoformat(deliveries.last_success)
    if deliveries.last_duration_ms is not None:
        body["lastPostDuration"] = deliveries.last_duration_ms
    if deliveries.last_ok is not None:
        body["lastPostSuccesful"] = deliveries.last_ok
    return body
