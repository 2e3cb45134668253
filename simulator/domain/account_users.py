"""Account users: the asynchronous delete, as a job the scheduler runs after the push delay.

Nuki deletes an account user asynchronously: the call answers 204 and the user is gone a
little later; meanwhile it carries the delete's ``operationId`` and further writes are 423.
"""

from __future__ import annotations

from dataclasses import dataclass

from nuki_sim.simulator.domain.model import AccountUser


@dataclass(frozen=True)
class DeleteAccountUser:
    """The pending delete of one account user (snapshotted with the agenda)."""

    account_user_id: int
    operation_id: str


def run_delete(users: dict[int, AccountUser], job: DeleteAccountUser) -> None:
    """Remove the user, unless it is already gone or the job was superseded."""
    user = users.get(job.account_user_id)
    if user is not None and user.operation_id == job.operation_id:
        del users[job.account_user_id]
