"""Nuki Web's operations for notification configurations (Swagger 4.18.0 tag ``Notification``).

Joined into the API by :mod:`nuki_sim.simulator.http.openapi`: ``OPERATIONS`` go into the
Nuki area (a Nuki token, scopes checked by the table, path ids of ``params.NUKI_PATH``).
The Swagger guards these routes with ``smartlock.log`` ("... get log notifications"); the
scope list also has ``notification`` ("View and manage your notifications"), so either
allows them here. Configurations are stored per account; no push or web hook is sent.
"""

from __future__ import annotations

from nuki_sim.simulator.domain import notification_shapes as shapes
from nuki_sim.simulator.domain.api import Session
from nuki_sim.simulator.http import notification_parse
from nuki_sim.simulator.http.nuki_ops import E400_BODY, E401, E413
from nuki_sim.simulator.http.operations import Area, Body, Call, Operation
from nuki_sim.simulator.http.params import query
from nuki_sim.simulator.http.schema import ref

TAG = "Notification"
SCOPES = ("notification", "smartlock.log")
ONE = "/notification/{notificationId}"
E400 = (
    E400_BODY + " os is not 0, 1 or 2; pushId or settings is missing (a web hook's pushId is "
    "not an http(s) URL); a trigger event is not one of Nuki's; a setting's smartlockId is "
    "no lock of the account or repeats another setting's; an authId is no authorization of "
    "the setting's lock; the secret is not 40 hex digits; or the language is not one of Nuki's."
)
E403 = "The notification or a setting's smart lock belongs to another account: `Forbidden`."
E404 = "No such notification: `Notification not found`."


def _update(api: Session, c: Call) -> shapes.Notification:
    """The configuration is looked up (404, 403) before the body's types are checked."""
    found = api.notification(c.ids["notificationId"])
    request = notification_parse.notification(c.body)
    return shapes.notification(api.update_notification(found.notification_id, request))


TAGS = [{"name": TAG, "description": "Push and web hook notification configurations (stored)."}]

OPERATIONS = [
    Operation(
        "GET", "/notification", "listNotifications", TAG,
        "Get all notifications attached to your account",
        "The account's configurations, oldest first; `referenceId` keeps those with it.",
        lambda api, c: [shapes.notification(n) for n in api.notifications(
            c.query.get("referenceId"))],
        scopes=SCOPES, reply=list[shapes.Notification], reply_text="The configurations.",
        query=[query("referenceId", {"type": "string"},
                     "Only configurations with this reference id of a third-party system.")],
        errors={401: E401},
    ),
    Operation(
        "PUT", "/notification", "createNotification", TAG,
        "Create a notification configuration",
        "Store a configuration: `os`, `pushId` and `settings` are required; a web hook "
        "(os 2) without a `secret` gets one drawn. Nothing is ever sent to the target.",
        lambda api, c: shapes.notification(
            api.create_notification(notification_parse.notification(c.body))),
        scopes=SCOPES, body=Body(ref("Notification"), "The configuration."),
        reply=shapes.Notification, reply_text="The configuration with its id.",
        errors={400: E400, 401: E401, 403: E403, 413: E413},
    ),
    Operation(
        "GET", ONE, "getNotification", TAG, "Get a notification configuration",
        "One configuration of the account.",
        lambda api, c: shapes.notification(api.notification(c.ids["notificationId"])),
        scopes=SCOPES, reply=shapes.Notification, reply_text="The configuration.",
        errors={401: E401, 403: E403, 404: E404},
    ),
    Operation(
        "POST", ONE, "updateNotification", TAG, "Update a notification configuration",
        "Replace `os`, `pushId` and `settings` (required, as on create); an omitted "
        "`language`, `secret` or `referenceId` stays as it was.",
        _update,
        scopes=SCOPES, body=Body(ref("Notification"), "The configuration as it should be."),
        reply=shapes.Notification, reply_text="The configuration as changed.",
        errors={400: E400, 401: E401, 403: E403, 404: E404, 413: E413},
    ),
    Operation(
        "DELETE", ONE, "deleteNotification", TAG, "Delete a notification configuration",
        "Remove the configuration at once.",
        lambda api, c: api.delete_notification(c.ids["notificationId"]),
        scopes=SCOPES, reply_text="Deleted; the body is empty.",
        errors={401: E401, 403: E403, 404: E404},
    ),
]  # fmt: skip
AREAS: list[Area] = []
COMPONENTS: tuple[type, ...] = (shapes.Notification, shapes.NotificationSetting)
"""Named response shapes other schemas refer to (written open: Nuki may add fields)."""
