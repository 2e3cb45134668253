"""Nuki Web's notification shape (Swagger 4.18.0 ``Notification``), declared once.

Nuki uses one schema for the request body and the reply, so the document does too; the
reply carries the server's fields (id, status, last activity) besides what was sent.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Literal, NotRequired, TypedDict, cast

from nuki_sim.simulator.domain import notifications as store
from nuki_sim.simulator.domain.clock import isoformat
from nuki_sim.simulator.domain.describe import Coded, Doc, doc, instant

TriggerEvent = Literal[
    "lock", "unlock", "unlatch", "lockngo", "open", "ring", "doorsensor", "warnings", "smartlock"
]


class NotificationSetting(TypedDict):
    """Notification.Setting: the events wanted from one lock, or from every lock."""

    smartlockId: NotRequired[
        Annotated[
            int,
            Doc("The lock; omitted: every lock of the account.", minimum=0, int64=True),
        ]
    ]
    triggerEvents: Annotated[
        list[TriggerEvent], doc("The events that trigger a notification.", uniqueItems=True)
    ]
    authIds: NotRequired[
        Annotated[
            list[str],
            doc(
                "Only events of these authorizations (ids of the lock's authorizations); "
                "empty or omitted: every user and keypad.",
                uniqueItems=True,
            ),
        ]
    ]


class Notification(TypedDict):
    """Notification: a push target (Android, iOS, or a web hook's URL) and per-lock settings.

    The simulator stores it; it sends no push message and posts to no web hook.
    """

    notificationId: NotRequired[Annotated[str, Doc("The id (set by the server).")]]
    referenceId: NotRequired[Annotated[str, Doc("An id of the client's own system.")]]
    pushId: Annotated[str, Doc("The push id, or the POST URL of a web hook (os 2).")]
    secret: NotRequired[
        Annotated[
            str,
            Doc(
                "A web hook's signing secret, 40 hex digits (drawn when a web hook gets none).",
                pattern="^[0-9a-fA-F]{40}$",
            ),
        ]
    ]
    os: Annotated[int, Coded("The target", {0: "Android", 1: "iOS", 2: "web hook"})]
    language: NotRequired[
        Annotated[
            str,
            doc(
                "The language of push messages (default en).",
                enum=list(store.LANGUAGES),
            ),
        ]
    ]
    status: NotRequired[
        Annotated[
            int, Coded("The state (set by the server)", {0: "init", 1: "active", 2: "failed"})
        ]
    ]
    lastActiveDate: NotRequired[Annotated[str, instant("The last activity (set by the server).")]]
    settings: Annotated[list[NotificationSetting], Doc("Settings per lock.")]


def notification(n: store.Notification) -> Notification:
    """The configuration as Nuki returns it; absent optional values are omitted."""
    body: Notification = {
        "notificationId": n.notification_id,
        "pushId": n.push_id,
        "os": n.os,
        "language": n.language,
        "status": n.status,
        "settings": [_setting(s) for s in n.settings],
    }
    if n.reference_id is not None:
        body["referenceId"] = n.reference_id
    if n.secret is not None:
        body["secret"] = n.secret
    if n.last_active_date is not None:
        body["lastActiveDate"] = isoformat(n.last_active_date)
    return body


def _setting(s: store.NotificationSetting) -> NotificationSetting:
    events = cast(list[TriggerEvent], list(s.trigger_events))  # checked on the way in
    body: NotificationSetting = {"triggerEvents": events, "authIds": list(s.auth_ids)}
    if s.smartlock_id is not None:
        body["smartlockId"] = s.smartlock_id
    return body
