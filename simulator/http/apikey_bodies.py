"""The API key request bodies (Swagger 4.18.0), declared once for the OpenAPI document.

Open like every Nuki body: unknown keys are ignored and ``null`` counts as omitted. Where a
field is required here and not in Nuki's Swagger (a description), the simulator refuses its
absence with a 400, as Nuki Web's own forms do.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Required, TypedDict

from nuki_sim.simulator.domain.api_keys import ADVANCED_TYPES
from nuki_sim.simulator.domain.apikey_calls import MAX_TEXT, TOKEN_SCOPES
from nuki_sim.simulator.domain.apikey_shapes import AdvancedFeatures
from nuki_sim.simulator.domain.describe import Doc, Raw, doc

Text = Annotated[str, doc("1 to 255 characters.", minLength=1, maxLength=MAX_TEXT)]
RedirectUris = Annotated[list[str], Doc("Absolute OAuth redirect URIs (scheme://...).")]
Scopes = Annotated[
    list[Annotated[str, Raw({"type": "string", "enum": sorted(TOKEN_SCOPES)})]],
    doc("The token's scopes: at least one of Nuki's.", minItems=1),
]
WebhookUrl = Annotated[
    str, doc("An http(s) URL; may be empty for an ONLY_SECRET key.", maxLength=2048)
]


class ApiKeyCreate(TypedDict, total=False):
    """A new API key."""

    description: Required[Text]
    redirectUris: RedirectUris


class ApiKeyUpdate(TypedDict, total=False):
    """Changes to an API key; an omitted field stays as it is."""

    description: Text
    redirectUris: RedirectUris


class ApiKeyTokenCreate(TypedDict, total=False):
    """A new token of an API key."""

    description: Required[Text]
    scopes: Required[Scopes]


class ApiKeyTokenUpdate(TypedDict, total=False):
    """Changes to a token; an omitted field stays as it is. New scopes apply at once."""

    description: Text
    scopes: Scopes


class AdvancedApiKeyCreate(TypedDict, total=False):
    """An application for the Advanced API (applying again replaces it)."""

    name: Required[Annotated[str, doc("The company applying for access.", maxLength=MAX_TEXT)]]
    country: Required[Annotated[str, doc("The company's country.", maxLength=MAX_TEXT)]]
    description: Required[
        Annotated[str, doc("The services and how Nuki devices are used.", maxLength=MAX_TEXT)]
    ]
    type: Required[Annotated[str, doc("The application type.", enum=list(ADVANCED_TYPES))]]
    url: Required[Annotated[str, Doc("The company's website (an http(s) URL).")]]
    email: Required[Annotated[str, doc("A contact e-mail address.", format="email")]]
    webhookUrl: Required[WebhookUrl]
    webhookFeatures: Required[AdvancedFeatures]
    restricted: Required[Annotated[bool, Doc("Whether the advanced key is restricted.")]]


class AdvancedApiKeyUpdate(TypedDict, total=False):
    """A new central webhook of the advanced key."""

    webhookUrl: Required[WebhookUrl]
    webhookFeatures: Required[AdvancedFeatures]


BODIES = (
    ApiKeyCreate,
    ApiKeyUpdate,
    ApiKeyTokenCreate,
    ApiKeyTokenUpdate,
    AdvancedApiKeyCreate,
    AdvancedApiKeyUpdate,
)
