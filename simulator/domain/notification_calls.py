"""The notification calls of the Nuki Web API: list, create, read, update, delete.

Everything in a body is checked before anything is stored: the operating system, the
language, a web hook's URL and secret, and per setting its lock (one of the caller's: an
unknown lock is a 400, as Nuki documents no 404 on these writes; another account's is a
403), its trigger events and its authorization ids (of that lock, or of any of the
account's locks when the setting names none).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import replace
from urllib.parse import urlsplit

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.errors import BadParameter, Forbidden, NotFound
from nuki_sim.simulator.domain.model import ApiToken
from nuki_sim.simulator.domain.notifications import (
    LANGUAGES,
    NOT_FOUND,
    OS_ANDROID,
    OS_WEBHOOK,
    TRIGGER_EVENTS,
    Notification,
    NotificationInput,
    NotificationSetting,
)
from nuki_sim.simulator.domain.world import World

MAX_PUSH_ID = 2048  # a push token or a URL; longer is no real one
_SECRET = re.compile(r"^[0-9a-fA-F]{40}$")


def _bad(parameter: str, value: object, hint: str) -> BadParameter:
    return BadParameter(messages.invalid_value(parameter, value), hint=hint)


class NotificationCalls:
    """What a token may do with its account's notification configurations."""

    world: World
    token: ApiToken

    def notifications(self, reference_id: str | None = None) -> list[Notification]:
        found = self.world.notifications.of(self.token.account_id)
        if reference_id is not None:
            found = [n for n in found if n.reference_id == reference_id]
        return found

    def notification(self, notification_id: str) -> Notification:
        """The configuration, if it exists (404) and belongs to the token's account (403)."""
        found = self.world.notifications.items.get(notification_id)
        if found is None:
            raise NotFound(NOT_FOUND, hint="no notification configuration has this id")
        if found.account_id != self.token.account_id:
            raise Forbidden(messages.FORBIDDEN, hint="the notification belongs to another account")
        return found

    def create_notification(self, request: NotificationInput) -> Notification:
        os, push_id, settings = self._required(request)
        language = self._language(request.language, "en")
        secret = self._hook_secret(os, request.secret, None)  # the last check: it may draw
        created = Notification(
            notification_id=self.world.new_id(),
            account_id=self.token.account_id,
            push_id=push_id,
            os=os,
            language=language,
            settings=settings,
            secret=secret,
            reference_id=request.reference_id,
        )
        self.world.notifications.put(created)
        return created

    def update_notification(self, notification_id: str, request: NotificationInput) -> Notification:
        """Replace the push target and settings; an omitted language, secret or reference
        id stays as it was."""
        current = self.notification(notification_id)
        os, push_id, settings = self._required(request)
        changed = replace(
            current,
            push_id=push_id,
            os=os,
            settings=settings,
            language=self._language(request.language, current.language),
            secret=self._hook_secret(os, request.secret, current.secret),
            reference_id=(
                current.reference_id if request.reference_id is None else request.reference_id
            ),
        )
        self.world.notifications.put(changed)
        return changed

    def delete_notification(self, notification_id: str) -> None:
        self.world.notifications.remove(self.notification(notification_id).notification_id)

    # --- checks ------------------------------------------------------------------------

    def _required(
        self, request: NotificationInput
    ) -> tuple[int, str, tuple[NotificationSetting, ...]]:
        if request.os is None or not OS_ANDROID <= request.os <= OS_WEBHOOK:
            raise _bad("os", request.os, "os is 0 (Android), 1 (iOS) or 2 (web hook)")
        push_id = request.push_id
        if push_id is None or not push_id.strip() or len(push_id) > MAX_PUSH_ID:
            raise _bad("pushId", push_id, f"a push id or URL of 1 to {MAX_PUSH_ID} characters")
        if request.os == OS_WEBHOOK:
            parts = urlsplit(push_id)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise _bad("pushId", push_id, "for a web hook (os 2) the pushId is its POST URL")
        if request.settings is None:
            raise _bad("settings", None, "settings is a list of per-lock settings")
        return request.os, push_id, tuple(self._setting(s) for s in self._unique(request))

    def _unique(self, request: NotificationInput) -> tuple[NotificationSetting, ...]:
        settings = request.settings or ()
        seen: set[int | None] = set()
        for setting in settings:
            if setting.smartlock_id in seen:
                raise _bad(
                    "settings", setting.smartlock_id, "one setting per lock (and one without)"
                )
            seen.add(setting.smartlock_id)
        return settings

    def _setting(self, setting: NotificationSetting) -> NotificationSetting:
        for event in setting.trigger_events:
            if event not in TRIGGER_EVENTS:
                raise _bad("triggerEvents", event, f"events are: {', '.join(TRIGGER_EVENTS)}")
        mine = self.token.account_id
        if setting.smartlock_id is None:
            locks = [lk for lk in self.world.locks.values() if lk.account_id == mine]
        else:
            lock = self.world.locks.get(setting.smartlock_id)
            if lock is None:
                raise _bad("smartlockId", setting.smartlock_id, "not a smartlock of the account")
            if lock.account_id != mine:
                raise Forbidden(messages.FORBIDDEN, hint="the smartlock belongs to another account")
            locks = [lock]
        for auth_id in setting.auth_ids:
            if not any(auth_id in lk.cloud.auths for lk in locks):
                raise _bad("authIds", auth_id, "an authorization id of the setting's lock")
        return setting

    def _language(self, value: str | None, default: str) -> str:
        if value is None:
            return default
        if value not in LANGUAGES:
            raise _bad("language", value, f"one of {', '.join(LANGUAGES)}")
        return value

    def _hook_secret(self, os: int, given: str | None, current: str | None) -> str | None:
        """A web hook's signing secret: as given (40 hex digits), else kept, else drawn."""
        if given is not None:
            if not _SECRET.match(given):
                raise _bad("secret", given, "40 hexadecimal digits")
            return given.lower()
        if current is not None or os != OS_WEBHOOK:
            return current
        drawn = f"{self.world.rng.getrandbits(160):040x}"  # drawn either way: ids stay seeded
        return secrets.token_hex(20) if self.world.random_secrets else drawn
