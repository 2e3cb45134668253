"""A pending action of the Nuki adapter, and how Nuki's answers and reports end it.

Plain data and pure functions: which actions each trait has, what is remembered about an
action sent to Nuki, why one is refused before sending, how a Nuki error becomes a trait
outcome, and which pending credential action a ``DEVICE_AUTHS`` report settles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nuki_sim.adapters.nuki import mapping
from nuki_sim.adapters.nuki.client import NukiError
from nuki_sim.adapters.traits import (
    ActionName,
    ActionStatus,
    PinCodeCredential,
    TraitError,
    TraitErrorCode,
    TraitName,
)

ACTIONS = {
    TraitName.LOCK: {ActionName.SET_LOCKED},
    TraitName.BETA_PIN_CODE_CREDENTIALS: {
        ActionName.CREATE_PIN,
        ActionName.UPDATE_PIN,
        ActionName.DELETE_PIN,
    },
}


@dataclass
class Pending:
    """An action sent to Nuki (or about to be) whose outcome Nuki has not reported yet."""

    action_id: str
    kind: ActionName
    credential: PinCodeCredential | None = None
    target: str = ""  # the credential id (update/delete)
    locked: bool | None = None
    # A create's record must have an id not known when it was sent (mapping.answers_create).
    known_before: frozenset[str] = frozenset()


Verdict = tuple[Pending, ActionStatus, TraitError | None, dict[str, Any] | None] | None


class Rejected(Exception):
    """An action that breaks a rule: REJECTED before anything is sent."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.error = TraitError(TraitErrorCode.VALIDATION, message, rule)


def nuki_failure(exc: NukiError) -> tuple[ActionStatus, TraitError]:
    """Every Nuki error as a trait outcome: refusals of the request are REJECTED, the rest FAILED."""
    message = f"Nuki answered {exc.status}" + (f": {exc.detail}" if exc.detail else "")
    if exc.status in (400, 404, 409, 422):
        return ActionStatus.REJECTED, TraitError(
            TraitErrorCode.VALIDATION, message, f"nuki-{exc.status}"
        )
    return ActionStatus.FAILED, TraitError(TraitErrorCode.EXECUTION, message, f"nuki-{exc.status}")


def credential_verdict(pendings: Sequence[Pending], auth: dict[str, Any], deleted: bool) -> Verdict:
    """Which of a lock's pending credential actions this DEVICE_AUTHS settles, and how."""
    auth_id = str(auth.get("id"))
    error = auth.get("error")
    for pending in pendings:
        if pending.kind is ActionName.SET_LOCKED:
            continue
        if pending.kind is ActionName.CREATE_PIN:
            matches = pending.credential is not None and mapping.answers_create(
                pending.credential, auth, known_before=pending.known_before
            )
        else:
            matches = pending.target == auth_id
        if not matches:
            continue
        if error:
            failure = TraitError(TraitErrorCode.EXECUTION, f"Nuki: {error}", "device-refused")
            return pending, ActionStatus.REJECTED, failure, None
        if pending.kind is ActionName.DELETE_PIN:
            if deleted:
                return pending, ActionStatus.RESOLVED, None, None
        elif not deleted and pending.credential and mapping.same_content(pending.credential, auth):
            return pending, ActionStatus.RESOLVED, None, {"credentialId": auth_id}
    return None
