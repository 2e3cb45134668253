"""Query strings parsed into the domain's typed filters, or refused with a Nuki 400.

An empty value counts as absent. Each function reads its parameters in a fixed order, so
a request with several bad values is refused for the same one every time.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.clock import parse_instant
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.domain.inputs import (
    INT32_MAX,
    AccountUserQuery,
    AuthFilter,
    LockFilter,
    LogQuery,
    PageRequest,
    WebhookLogQuery,
)

_INTEGER = re.compile(r"-?[0-9]{1,19}")
INT32_MIN = -(2**31)
DEFAULT_PAGE_SIZE = 100


def lock_filter(query: Mapping[str, str]) -> LockFilter:
    return LockFilter(query_int(query, "authId"), query_int(query, "type", hi=255))


def lock_auth_filter(query: Mapping[str, str]) -> AuthFilter:
    """One lock's authorizations: ``types``, and ``includeEmail`` (checked, not modelled)."""
    types = query_types(query)
    query_bool(query, "includeEmail")
    return AuthFilter(types)


def auth_filter(query: Mapping[str, str]) -> AuthFilter:
    """Every lock's authorizations: ``types`` and ``accountUserId``."""
    return AuthFilter(query_types(query), query_int(query, "accountUserId", lo=INT32_MIN))


def page_request(query: Mapping[str, str]) -> PageRequest:
    page = query_int(query, "page") or 0
    size = query_int(query, "size", lo=1, hi=1000) or DEFAULT_PAGE_SIZE
    return PageRequest(page, size)


def log_query(query: Mapping[str, str], *, one_lock: bool) -> LogQuery:
    """An activity log listing; ``authId`` filters only the log of one lock."""
    return LogQuery(
        auth_id=query.get("authId") if one_lock else None,
        account_user_id=query_int(query, "accountUserId", lo=INT32_MIN),
        start=query_instant(query, "fromDate"),
        end=query_instant(query, "toDate"),
        action=query_int(query, "action", hi=255),
        limit=query_int(query, "limit", lo=1),
        cursor=query.get("id") or None,
    )


def webhook_log_query(query: Mapping[str, str]) -> WebhookLogQuery:
    return WebhookLogQuery(query_int(query, "limit", lo=1), query.get("id") or None)


def account_user_query(query: Mapping[str, str]) -> AccountUserQuery:
    """``email``, ``offset`` and ``limit`` of ``GET /account/user``."""
    return AccountUserQuery(
        query.get("email") or None,
        query_int(query, "offset") or 0,
        query_int(query, "limit", lo=1),
    )


def query_int(
    query: Mapping[str, str], key: str, *, lo: int = 0, hi: int = INT32_MAX
) -> int | None:
    text = query.get(key)
    if text is None or text == "":
        return None
    if not _INTEGER.fullmatch(text):
        raise BadParameter(messages.invalid_value(key, text))
    value = int(text)
    if not lo <= value <= hi:
        raise BadParameter(messages.invalid_value(key, text))
    return value


def query_types(query: Mapping[str, str]) -> frozenset[int] | None:
    """``types=0,2,13``: a comma list of auth types."""
    text = query.get("types")
    if text is None or text == "":
        return None
    try:
        return frozenset(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise BadParameter(messages.invalid_value("types", text)) from None


def query_instant(query: Mapping[str, str], key: str) -> datetime | None:
    text = query.get(key)
    if text is None or text == "":
        return None
    try:
        return parse_instant(text)
    except ValueError:
        raise BadParameter(messages.invalid_value(key, text)) from None


def query_bool(query: Mapping[str, str], key: str) -> bool | None:
    text = query.get(key)
    if text is None or text == "":
        return None
    if text.lower() not in ("true", "false"):
        raise BadParameter(messages.invalid_value(key, text))
    return text.lower() == "true"
