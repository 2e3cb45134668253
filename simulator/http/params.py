"""Path ids and query parameters: how each is routed and parsed, and what the document says.

Path ids are declared as digits (``\\d+``) so that ``/smartlock/auth`` and ``/smartlock/log``
never match ``/smartlock/{smartlockId}``; the parser then refuses what does not fit an int64.
The query parameters shared by several operations are components of the document,
referenced by name; an operation's own ones are written beside it with :func:`query`.
"""

from __future__ import annotations

from typing import Any

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.describe import INT64_MAX, OBJECT_ID
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.http.operations import PathParam

DIGITS = r"\d+"


def path_int(text: str, name: str) -> int:
    """A numeric path parameter (decimal, at most int64), named in the refusal."""
    if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) > INT64_MAX:
        raise BadParameter(messages.invalid_value(name, text))
    return int(text)


def smartlock_id(text: str) -> int:
    """A path id: a positive decimal int64 (Nuki declares it a string on some paths)."""
    return path_int(text, "smartlockId")


NUKI_PATH = {
    "smartlockId": PathParam(DIGITS, smartlock_id),
    "authId": PathParam("[^/]+", str),
    "webhookId": PathParam(DIGITS, lambda text: path_int(text, "id")),
    "apiKeyId": PathParam(DIGITS, lambda text: path_int(text, "apiKeyId")),
    "accountUserId": PathParam(DIGITS, lambda text: path_int(text, "accountUserId")),
    "tokenId": PathParam("[^/]+", str),  # an API key token's id (Nuki's ``{id}``)
    "notificationId": PathParam("[^/]+", str),
}


def param(name: str) -> dict[str, str]:
    """A reference to ``components/parameters/<name>``."""
    return {"$ref": f"#/components/parameters/{name}"}


def query(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    """An operation's own query parameter (always optional)."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **extra,
    }


def integer(
    description: str, *, minimum: int | None = None, maximum: int | None = None, int64: bool = False
) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "format": "int64" if int64 else "int32"}
    if minimum is not None:
        schema["minimum"] = minimum
    if maximum is not None:
        schema["maximum"] = maximum
    schema["description"] = description
    return schema


def _path(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": schema,
    }


def _id(what: str, description: str) -> dict[str, Any]:
    return integer(what, minimum=0, maximum=INT64_MAX, int64=True) | {"description": description}


PARAMETERS: dict[str, dict[str, Any]] = {
    "smartlockId": _path("smartlockId", "The lock's id (digits only).", _id("", "Lock id.")),
    "authId": _path(
        "authId",
        "The authorization's id (SmartlockAuth.id, a 24-hex ObjectId).",
        {"type": "string", "pattern": OBJECT_ID},
    ),
    "types": query(
        "types",
        {"type": "array", "items": integer("An authorization type (see SmartlockAuth.type).")},
        "Only authorizations of these types, comma-separated (e.g. 0,2,13).",
        style="form",
        explode=False,
    ),
    "includeEmail": query(
        "includeEmail",
        {"type": "boolean"},
        "Accepted for compatibility (true or false); the simulator models no e-mails.",
    ),
    "accountUserFilter": query(
        "accountUserId",
        integer("Account user id.", minimum=-(2**31)),
        "Only entries of this account user; for authorizations, a negative value selects "
        "those without a user.",
    ),
    "fromDate": query(
        "fromDate",
        {"type": "string", "format": "date-time"},
        "Only entries at or after this instant.",
    ),
    "toDate": query(
        "toDate",
        {"type": "string", "format": "date-time"},
        "Only entries at or before this instant.",
    ),
    "action": query(
        "action", integer("A log action.", minimum=0, maximum=255), "Only entries with this action."
    ),
    "logId": query(
        "id",
        {"type": "string", "pattern": OBJECT_ID},
        "Cursor: only entries older than the entry with this id (400 if no such entry).",
    ),
    "webhookId": _path(
        "webhookId", "The decentral webhook's id (digits only).", _id("", "Webhook id.")
    ),
    "apiKeyId": _path("apiKeyId", "The API key's id (digits only).", _id("", "API key id.")),
    "brandId": _path(
        "brandId", "The brand ID.", integer("Brand id.", minimum=0, maximum=2**31 - 1)
    ),
    "intercomId": _path(
        "intercomId", "The intercom ID.", integer("Intercom id.", minimum=0, maximum=2**31 - 1)
    ),
    "serviceId": _path(
        "serviceId",
        "The service ID (e.g. airbnb).",
        {"type": "string", "pattern": "^[a-z0-9_-]{1,64}$"},
    ),
    "accountUserId": _path(
        "accountUserId", "The account user's id (digits only).", _id("", "Account user id.")
    ),
    "accountId": _path("accountId", "The account's id (digits only).", _id("", "Account id.")),
    "tokenId": _path("tokenId", "The API key token's id (Nuki's `{id}`).", {"type": "string"}),
    "addressId": _path(
        "addressId", "The address's id (digits only).", integer("Address id.", minimum=0)
    ),
    "id": _path(
        "id",
        "The id of what the path names: an address unit or reservation (a 24-hex ObjectId) or "
        "an address token.",
        {"type": "string"},
    ),
    "limit": query(
        "limit",
        {**integer("Maximum entries.", minimum=1), "default": 20},
        "How many entries to return (default 20; values above 50 are treated as 50).",
    ),
    "notificationId": _path(
        "notificationId",
        "The notification configuration's id (Notification.notificationId).",
        {"type": "string"},
    ),
}
