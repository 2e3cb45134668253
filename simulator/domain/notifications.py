"""Nuki Web's notification configurations (Swagger 4.18.0 ``Notification``): the store.

A configuration names a push target (an Android or iOS push id, or a web hook's POST URL)
and, per lock, the events it wants. The simulator keeps them per account so a client can
create, read, change and delete them; it sends no push message and posts to no web hook
(decentral webhooks, :mod:`.outbox`, are the delivery Nuki documents for integrations).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

NOT_FOUND = "Notification not found"

OS_ANDROID, OS_IOS, OS_WEBHOOK = 0, 1, 2
STATUS_INIT = 0  # 0: init, 1: active, 2: failed; nothing is delivered, so it stays 0
LANGUAGES = ("cs", "de", "en", "es", "fr", "it", "nl", "sk")
TRIGGER_EVENTS = (
    "lock",
    "unlock",
    "unlatch",
    "lockngo",
    "open",
    "ring",
    "doorsensor",
    "warnings",
    "smartlock",
)


@dataclass(frozen=True)
class NotificationSetting:
    """The events wanted from one lock (``smartlock_id`` None: every lock of the account)."""

    smartlock_id: int | None
    trigger_events: tuple[str, ...]
    auth_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notification:
    """One notification configuration of an account."""

    notification_id: str
    account_id: int
    push_id: str
    os: int
    language: str
    settings: tuple[NotificationSetting, ...]
    secret: str | None = None
    reference_id: str | None = None
    status: int = STATUS_INIT
    last_active_date: datetime | None = None


@dataclass(frozen=True)
class NotificationInput:
    """A ``Notification`` body as parsed (types checked; the calls check the values)."""

    push_id: str | None
    os: int | None
    settings: tuple[NotificationSetting, ...] | None
    language: str | None = None
    secret: str | None = None
    reference_id: str | None = None


@dataclass
class NotificationBook:
    """Every account's notification configurations, by id (ids are ObjectIds)."""

    items: dict[str, Notification] = field(default_factory=dict)

    def of(self, account_id: int) -> list[Notification]:
        """The account's configurations, oldest first (ObjectIds sort by creation)."""
        mine = (n for n in self.items.values() if n.account_id == account_id)
        return sorted(mine, key=lambda n: n.notification_id)

    def put(self, notification: Notification) -> None:
        self.items[notification.notification_id] = notification

    def remove(self, notification_id: str) -> None:
        self.items.pop(notification_id, None)

    def forget_account(self, account_id: int) -> None:
        """Drop every configuration of the account (the account is deleted)."""
        for key in [k for k, n in self.items.items() if n.account_id == account_id]:
            del self.items[key]

    def forget_lock(self, smartlock_id: int) -> None:
        """Drop the settings for a deleted lock; the configurations themselves stay."""
        for key, n in list(self.items.items()):
            kept = tuple(s for s in n.settings if s.smartlock_id != smartlock_id)
            if len(kept) != len(n.settings):
                self.items[key] = replace(n, settings=kept)
