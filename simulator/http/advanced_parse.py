"""The Advanced API's bodies parsed into the domain's typed inputs, or refused with a Nuki 400.

Both create app authorizations (type 0): the fields they share with ``SmartlockAuthCreate``
are checked by :func:`~nuki_sim.simulator.http.parse.auth_create`, with the same messages.
"""

from __future__ import annotations

from dataclasses import replace

from nuki_sim.simulator.domain.inputs import AuthCreate
from nuki_sim.simulator.http import parse

_NOT_OURS = {"type": None, "code": None}  # not part of these bodies: ignored like unknown keys


def auth_advanced_create(raw: object) -> AuthCreate:
    """``SmartlocksAuthAdvancedCreate`` without its ``smartlockIds`` (see
    :func:`~nuki_sim.simulator.http.parse.smartlock_ids`): name and accountUserId required."""
    return parse.auth_create({**parse.obj(raw), **_NOT_OURS})


def shared_key_create(raw: object) -> AuthCreate:
    """``SmartlockAuthWithSharedKeyCreate``: a name, the time fields, an optional user."""
    body = parse.obj(raw)
    user = body.get("accountUserId")
    # auth_create insists on a user for an app authorization; this body may leave it out.
    checked = parse.auth_create({**body, **_NOT_OURS, "accountUserId": 0 if user is None else user})
    return replace(checked, account_user_id=None if user is None else checked.account_user_id,
                   remote_allowed=False, smart_actions_enabled=False)  # fmt: skip
