"""Nuki Web's operations for API keys, their tokens and advanced API keys (Swagger 4.18.0).

Joined into the API by :mod:`nuki_sim.simulator.http.openapi`: ``OPERATIONS`` go into the
Nuki area (a Nuki token, scopes checked by the table, path ids of ``params.NUKI_PATH``). All
of them need the ``account`` scope, as in the Swagger. A token made here authenticates the
other routes at once with exactly its scopes; ``POST /api/key/{apiKeyId}/advanced/reactivate``
is with the webhook operations.
"""

from __future__ import annotations

from nuki_sim.simulator.domain import apikey_shapes, apikey_wire
from nuki_sim.simulator.domain.apikey_shapes import AdvancedApiKey, ApiKey, ApiKeyToken
from nuki_sim.simulator.http import apikey_bodies
from nuki_sim.simulator.http.apikey_parse import advanced_change, api_key_change, token_change
from nuki_sim.simulator.http.nuki_ops import E400_BODY, E401, E413
from nuki_sim.simulator.http.operations import Area, Body, Operation
from nuki_sim.simulator.http.schema import ref

TAG = "API keys"
SCOPES = ("account",)
KEY = "/api/key/{apiKeyId}"
TOKEN = KEY + "/token/{tokenId}"
ADVANCED = KEY + "/advanced"
E400_KEY = (
    E400_BODY + " The description is missing, empty or too long, or a redirect URI is no URI."
)
E400_TOKEN = (
    E400_BODY + " The description is missing, empty or too long, or scopes is empty or holds "
    "a scope that is not Nuki's."
)
E400_ADVANCED = (
    E400_BODY + " A required field is missing, the type, a webhook feature, the e-mail "
    "address or a URL is not valid."
)
E403 = "The API key belongs to another account: `Forbidden`."
E404 = "No such API key: `API key not found`."
E404_TOKEN = "No such API key, or no such token of it: `… not found`."
E404_ADVANCED = "No such API key, or it has no advanced key: `… not found`."
ONE = {400: "apiKeyId is not a valid number.", 401: E401, 403: E403, 404: E404}

TAGS = [{"name": TAG, "description": "API keys, their tokens and advanced API keys."}]
OPERATIONS = [
    Operation(
        "GET", "/api/key", "listApiKeys", TAG, "List API keys",
        "The account's API keys (those made with `PUT /api/key`), by id.",
        lambda api, c: [apikey_wire.api_key(k) for k in api.api_keys()],
        scopes=SCOPES, reply=list[ApiKey], reply_text="The keys.", errors={401: E401},
    ),
    Operation(
        "PUT", "/api/key", "createApiKey", TAG, "Create an API key",
        "A new key of the account, under which tokens can be created.",
        lambda api, c: apikey_wire.api_key(api.create_api_key(api_key_change(c.body))),
        scopes=SCOPES, body=Body(ref("ApiKeyCreate"), "The key."),
        reply=ApiKey, reply_text="The key.", errors={400: E400_KEY, 401: E401, 413: E413},
    ),
    Operation(
        "POST", KEY, "updateApiKey", TAG, "Update an API key",
        "Change the description or the redirect URIs (omitted fields stay).",
        lambda api, c: api.update_api_key(c.ids["apiKeyId"], api_key_change(c.body)),
        scopes=SCOPES, body=Body(ref("ApiKeyUpdate"), "The changes."),
        reply_text="Changed; the body is empty.", errors={**ONE, 400: E400_KEY, 413: E413},
    ),
    Operation(
        "DELETE", KEY, "deleteApiKey", TAG, "Delete an API key",
        "The key goes with its advanced key and its tokens, which are revoked at once (their "
        "next call is 401).",
        lambda api, c: api.delete_api_key(c.ids["apiKeyId"]),
        scopes=SCOPES, reply_text="Deleted; the body is empty.", errors=ONE,
    ),
    Operation(
        "GET", KEY + "/token", "listApiKeyTokens", TAG, "List the tokens of an API key",
        "The key's tokens, oldest first, without the bearer token itself (shown only once).",
        lambda api, c: [
            apikey_wire.key_token(r, t) for r, t in api.key_tokens(c.ids["apiKeyId"])
        ],
        scopes=SCOPES, reply=list[ApiKeyToken], reply_text="The tokens.", errors=ONE,
    ),
    Operation(
        "PUT", KEY + "/token", "createApiKeyToken", TAG, "Create a token of an API key",
        "A new bearer token (`accessToken`, shown only in this answer). It authenticates at "
        "once, with exactly its scopes.",
        lambda api, c: apikey_wire.key_token(
            *api.create_key_token(c.ids["apiKeyId"], token_change(c.body)), with_secret=True
        ),
        scopes=SCOPES, body=Body(ref("ApiKeyTokenCreate"), "The token."),
        reply=ApiKeyToken, reply_text="The token, with its `accessToken`.",
        errors={**ONE, 400: E400_TOKEN, 413: E413},
    ),
    Operation(
        "POST", TOKEN, "updateApiKeyToken", TAG, "Update a token of an API key",
        "Change the description or the scopes; the token's next call has the new scopes.",
        lambda api, c: api.update_key_token(
            c.ids["apiKeyId"], c.ids["tokenId"], token_change(c.body)
        ),
        scopes=SCOPES, body=Body(ref("ApiKeyTokenUpdate"), "The changes."),
        reply_text="Changed; the body is empty.",
        errors={**ONE, 400: E400_TOKEN, 404: E404_TOKEN, 413: E413},
    ),
    Operation(
        "DELETE", TOKEN, "deleteApiKeyToken", TAG, "Delete a token of an API key",
        "Revoke the token: its next call is 401.",
        lambda api, c: api.delete_key_token(c.ids["apiKeyId"], c.ids["tokenId"]),
        scopes=SCOPES, reply_text="Revoked; the body is empty.", errors={**ONE, 404: E404_TOKEN},
    ),
    Operation(
        "GET", ADVANCED, "getAdvancedApiKey", TAG, "Get the advanced API key",
        "The key's Advanced API application, with the counters of the webhooks registered "
        "with its tokens (`webhookSentSuccessfully`, `webhookSentErroneous`: attempts of the "
        "subscriptions that exist) and `webhookStatus` DEACTIVATED while one of them is "
        "switched off after failures (`POST …/advanced/reactivate` switches them on).",
        lambda api, c: apikey_wire.advanced_key(
            api.advanced_key(c.ids["apiKeyId"]), api.deliveries(c.ids["apiKeyId"])
        ),
        scopes=SCOPES, reply=AdvancedApiKey, reply_text="The advanced key.",
        errors={**ONE, 404: E404_ADVANCED},
    ),
    Operation(
        "PUT", ADVANCED, "createAdvancedApiKey", TAG, "Apply for an advanced API key",
        "Apply for the Advanced API. The simulator has no review: the key is ACTIVE at once "
        "and shows its `secret`. Applying again replaces the application's fields.",
        lambda api, c: api.apply_advanced_key(c.ids["apiKeyId"], advanced_change(c.body)),
        scopes=SCOPES, body=Body(ref("AdvancedApiKeyCreate"), "The application."),
        reply_text="Applied; the body is empty.", errors={**ONE, 400: E400_ADVANCED, 413: E413},
    ),
    Operation(
        "POST", ADVANCED, "updateAdvancedApiKey", TAG, "Update the advanced API key",
        "Change the central webhook's URL and features.",
        lambda api, c: api.update_advanced_key(c.ids["apiKeyId"], advanced_change(c.body)),
        scopes=SCOPES, body=Body(ref("AdvancedApiKeyUpdate"), "The webhook."),
        reply_text="Changed; the body is empty.",
        errors={**ONE, 400: E400_ADVANCED, 404: E404_ADVANCED, 413: E413},
    ),
    Operation(
        "DELETE", ADVANCED, "deleteAdvancedApiKey", TAG, "Delete the advanced API key",
        "The application goes; the API key and its tokens stay.",
        lambda api, c: api.delete_advanced_key(c.ids["apiKeyId"]),
        scopes=SCOPES, reply_text="Deleted; the body is empty.",
        errors={**ONE, 404: E404_ADVANCED},
    ),
]  # fmt: skip
AREAS: list[Area] = []
COMPONENTS: tuple[type, ...] = (*apikey_shapes.COMPONENTS, *apikey_bodies.BODIES)
"""Named response shapes and request bodies other schemas refer to (written open)."""
