"""What the world tells webhook subscribers: world changes turned into Nuki's payloads.

The notifier builds the payloads of fact sheet §6.4 and posts them to the
:class:`~nuki_sim.simulator.domain.outbox.Outbox`. Nothing is built for an account without a
subscription that wants the feature, and while no subscription exists at all
(:attr:`Notifier.audience` is empty) callers skip even the bookkeeping, so a world nobody
listens to pays nothing.
"""

from __future__ import annotations

from collections.abc import Mapping

from nuki_sim.simulator.domain import wire
from nuki_sim.simulator.domain.model import Auth, Lock, LogEntry
from nuki_sim.simulator.domain.outbox import MAX_SUBSCRIPTIONS_PER_ACCOUNT, Outbox

__all__ = ["MAX_SUBSCRIPTIONS_PER_ACCOUNT", "Notifier"]


class Notifier:
    """The :class:`~nuki_sim.simulator.domain.parts.Reports` of a world, over its outbox."""

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox
        self.audience: Mapping[int, object] = outbox.subscriptions  # the outbox's, for life

    def watching(self, account_id: int, feature: str) -> bool:
        return bool(self.outbox.wanted(account_id, feature))

    def status(self, lock: Lock) -> None:
        if self.outbox.wanted(lock.account_id, "DEVICE_STATUS"):
            payload = wire.device_status(lock)
            self.outbox.post(lock.account_id, "DEVICE_STATUS", lock.smartlock_id, payload)

    def log(self, lock: Lock, entry: LogEntry) -> None:
        if self.outbox.wanted(lock.account_id, "DEVICE_LOGS"):
            payload = {"smartlockLog": wire.smartlock_log(entry)}
            self.outbox.post(lock.account_id, "DEVICE_LOGS", lock.smartlock_id, payload)

    def masterdata(self, lock: Lock, *, deleted: bool = False) -> None:
        if self.outbox.wanted(lock.account_id, "DEVICE_MASTERDATA"):
            payload = wire.masterdata(lock, deleted=deleted)
            self.outbox.post(lock.account_id, "DEVICE_MASTERDATA", lock.smartlock_id, payload)

    def config(self, lock: Lock) -> None:
        if self.outbox.wanted(lock.account_id, "DEVICE_CONFIG"):
            payload = wire.device_config(lock)
            self.outbox.post(lock.account_id, "DEVICE_CONFIG", lock.smartlock_id, payload)

    def auth_changes(
        self, lock: Lock, before: dict[str, Auth], errors_before: dict[str, str]
    ) -> None:
        """DEVICE_AUTHS for every authorization whose cloud copy changed (or vanished)."""
        if not self.outbox.wanted(lock.account_id, "DEVICE_AUTHS"):
            return
        cloud = lock.cloud
        post = self.outbox.post
        for auth_id, auth in cloud.auths.items():
            error = cloud.errors.get(auth_id)
            if before.get(auth_id) != auth or errors_before.get(auth_id) != error:
                body = wire.smartlock_auth(auth, error=error)
                payload = {"deleted": False, "smartlockAuth": body}
                post(lock.account_id, "DEVICE_AUTHS", lock.smartlock_id, payload)
        for auth_id, auth in before.items():
            if auth_id not in cloud.auths:
                payload = {"deleted": True, "smartlockAuth": wire.smartlock_auth(auth)}
                post(lock.account_id, "DEVICE_AUTHS", lock.smartlock_id, payload)
