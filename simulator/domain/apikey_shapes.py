"""Nuki Web's API key shapes (Swagger 4.18.0 ``ApiKey``, ``ApiKeyToken``, ``AdvancedApiKey``).

Required sets are Nuki's or smaller; the advanced key also carries the delivery counters of
Nuki's ``ApiKey.Advanced`` (which ``AdvancedApiKey`` leaves out), as optional fields.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, NotRequired, TypedDict

from nuki_sim.simulator.domain.api_keys import ADVANCED_STATUSES, ADVANCED_TYPES, WEBHOOK_STATUSES
from nuki_sim.simulator.domain.describe import Doc, Raw, doc, instant
from nuki_sim.simulator.domain.webhooks import FEATURES

AdvancedType = Annotated[str, doc("The application type.", enum=list(ADVANCED_TYPES))]
AdvancedFeatures = Annotated[
    list[Annotated[str, Raw({"type": "string", "enum": list(FEATURES)})]],
    doc(
        "The features that trigger the central webhook (none for ONLY_SECRET).",
        uniqueItems=True,
    ),
]
Scopes = Annotated[list[str], Doc("The token's scopes (Nuki's OAuth scopes).")]


class ApiKey(TypedDict):
    """ApiKey: a key of the account, under which API tokens are created."""

    apiKeyId: Annotated[int, Doc("The API key id.", minimum=1)]
    accountId: Annotated[int, Doc("The account id.", minimum=1)]
    description: NotRequired[Annotated[str, Doc("The description.")]]
    redirectUris: NotRequired[Annotated[list[str], Doc("The OAuth redirect URIs.")]]
    creationDate: Annotated[str, instant("When the key was created.")]
    apiKey: NotRequired[Annotated[str, Doc("The key's public string.")]]


class ApiKeyToken(TypedDict):
    """ApiKeyToken: a token of an API key; ``accessToken`` only in the answer that created it."""

    id: Annotated[str, Doc("The token's id (in paths; not the secret).")]
    accountId: Annotated[int, Doc("The account id.", minimum=1)]
    description: NotRequired[Annotated[str, Doc("The description.")]]
    accessToken: NotRequired[
        Annotated[str, Doc("The bearer token itself: shown once, when it is created.")]
    ]
    scopes: Scopes
    creationDate: Annotated[str, instant("When the token was created.")]


class AdvancedApiKey(TypedDict):
    """AdvancedApiKey: the Advanced API application of an API key, with its webhook counters."""

    name: Annotated[str, Doc("The company applying for access.")]
    country: Annotated[str, Doc("The company's country.")]
    description: Annotated[str, Doc("The services and products, and how Nuki devices are used.")]
    type: AdvancedType
    webhookStatus: NotRequired[
        Annotated[
            str,
            doc(
                "DEACTIVATED while a webhook of the key is switched off after failures.",
                enum=list(WEBHOOK_STATUSES),
            ),
        ]
    ]
    url: Annotated[str, Doc("The company's website.")]
    email: Annotated[str, Doc("A contact e-mail address.")]
    webhookUrl: Annotated[str, Doc("Where the central webhook points.")]
    webhookFeatures: AdvancedFeatures
    restricted: Annotated[bool, Doc("Whether the advanced key is restricted.")]
    secret: NotRequired[
        Annotated[str, Doc("The client secret, shown once the status is TESTING or ACTIVE.")]
    ]
    status: Annotated[str, doc("The application status.", enum=list(ADVANCED_STATUSES))]
    webhookSentSuccessfully: NotRequired[
        Annotated[int, Doc("Webhook deliveries of this key that succeeded.", minimum=0)]
    ]
    webhookSentErroneous: NotRequired[
        Annotated[int, Doc("Webhook delivery attempts of this key that failed.", minimum=0)]
    ]
    lastSuccessfulPost: NotRequired[Annotated[str, instant("The last successful delivery.")]]
    lastPostDuration: NotRequired[
        Annotated[int, Doc("How long the last delivery attempt took, in ms.", minimum=0)]
    ]
    lastPostSuccesful: NotRequired[
        Annotated[bool, Doc("Whether the last delivery attempt succeeded (Nuki's spelling).")]
    ]
    creationDate: Annotated[str, instant("When the application was made.")]
    updateDate: Annotated[str, instant("When it was last changed.")]


COMPONENTS = (ApiKey, ApiKeyToken, AdvancedApiKey)
