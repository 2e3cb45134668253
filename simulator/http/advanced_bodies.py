"""The Advanced API's request bodies and its reply (Swagger 4.18.0), declared once for the
OpenAPI document. Bodies are open like every Nuki body: unknown keys are ignored (a ``type``
or ``code`` sent along is not part of them) and ``null`` counts as omitted.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, NotRequired, Required, TypedDict

from nuki_sim.simulator.domain.describe import INT64_MAX, OBJECT_ID, Doc, doc, instant_in
from nuki_sim.simulator.domain.shapes import MINUTES, WEEKDAYS
from nuki_sim.simulator.http.bodies import AuthName

AccountUserId = Annotated[
    int, Doc("The Nuki Web account user the authorization is for.", minimum=0)
]


class _Window(TypedDict, total=False):
    allowedFromDate: Annotated[str | None, instant_in("Start of the validity window.")]
    allowedUntilDate: Annotated[
        str | None, instant_in("End of the validity window (after the start).")
    ]
    allowedWeekDays: Annotated[
        int, Doc(WEEKDAYS + "; omitted means every day.", minimum=0, maximum=127)
    ]
    allowedFromTime: Annotated[
        int, Doc(f"Start of the daily window, {MINUTES}.", minimum=0, maximum=1439)
    ]
    allowedUntilTime: Annotated[
        int,
        Doc(f"End of the daily window, {MINUTES}; later than allowedFromTime.", minimum=0,
            maximum=1439),
    ]  # fmt: skip


class SmartlocksAuthAdvancedCreate(_Window, total=False):
    """An app authorization (type 0) for one account user on several locks, created
    asynchronously: the reply is a requestId, the outcome comes by webhook."""

    name: Required[AuthName]
    accountUserId: Required[AccountUserId]
    remoteAllowed: Required[Annotated[bool, Doc("Whether remote actions are allowed.")]]
    smartlockIds: Required[
        Annotated[
            list[Annotated[int, Doc("A lock id.", minimum=1, maximum=INT64_MAX, int64=True)]],
            doc("The locks to create the authorization on.", minItems=1),
        ]
    ]
    smartActionsEnabled: Annotated[bool, Doc("Whether smart actions are enabled (default false).")]


class SmartlockAuthWithSharedKeyCreate(_Window, total=False):
    """A new app authorization whose shared key the cloud generates."""

    name: Required[AuthName]
    accountUserId: AccountUserId


class AdvancedConfirmationResponse(TypedDict):
    """AdvancedConfirmationResponse: the id that the API-triggered webhook will carry."""

    requestId: Annotated[
        str,
        Doc(
            "Identifies the webhook that reports the outcome (24-hex ObjectId).", pattern=OBJECT_ID
        ),
    ]
    error: NotRequired[
        Annotated[str, Doc("Why some authorizations cannot be created (Nuki: a subscription).")]
    ]
