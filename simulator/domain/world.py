"""The simulated world: accounts, tokens, locks, time, and the parts that move them.

The world owns the one seeded RNG, the scheduler and the tables (accounts, tokens, locks).
Its behaviour lives in parts that own their state and talk through the small interfaces of
:mod:`~nuki_sim.simulator.domain.parts`:

* :class:`~.sync.CloudSync`: the command queue to the device, pushes, sync, daily auto sync;
* :class:`~.events.DeviceEvents`: the motor, the log, connectivity, battery, jam, keypad;
* :class:`~.notify.Notifier`: world changes turned into webhook payloads;
* :class:`~.outbox.Outbox`: subscriptions, outboxes, retries and delivery logs.

The life of an authorization is one table in :mod:`~.lifecycle`. Time has one path: the
clock moves, the scheduler hands each due job to the handler of its type, and the job runs
as of its own due instant. The Nuki API surface that routes call lives in
:mod:`nuki_sim.simulator.domain.api`; the methods below that only delegate to a part keep
the names it and the control plane call.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from nuki_sim.simulator.domain import device as dev
from nuki_sim.simulator.domain import devices, ids, lifecycle
from nuki_sim.simulator.domain.account_store import AccountStore
from nuki_sim.simulator.domain.account_users import DeleteAccountUser, run_delete
from nuki_sim.simulator.domain.addresses import AddressBook, DeleteUnits
from nuki_sim.simulator.domain.advanced import AdvancedRequests, AdvancedTimeout
from nuki_sim.simulator.domain.api_keys import ApiKeyBook
from nuki_sim.simulator.domain.clock import Clock, VirtualClock, as_utc, truncate_ms
from nuki_sim.simulator.domain.codes import SCOPES, AuthType, DoorState
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.errors import ClockError, NotFound
from nuki_sim.simulator.domain.events import DeviceEvents, MotionStep
from nuki_sim.simulator.domain.inputs import Registration
from nuki_sim.simulator.domain.model import (
    Account,
    AccountUser,
    ApiToken,
    Auth,
    CloudCopy,
    Command,
    Device,
    Lock,
    Outcome,
)
from nuki_sim.simulator.domain.notifications import NotificationBook
from nuki_sim.simulator.domain.notify import Notifier
from nuki_sim.simulator.domain.outbox import Outbox, WebhookRetry
from nuki_sim.simulator.domain.parts import Handler
from nuki_sim.simulator.domain.scheduler import Due, Scheduler
from nuki_sim.simulator.domain.sync import AutoSync, CloudSync, Propagate, Push
from nuki_sim.simulator.domain.webhooks import Attempt, RetryPolicy, Subscription

WEB_API_AUTH = "Nuki Web"
"""The name of the Web API's own authorization: an app authorization (type 0) in the lock's
first slot, listed with the others as Nuki lists it. (On the real system, disabling it makes
/action fail; the simulator does not model that.)"""

__all__ = [
    "AdvancedTimeout",
    "AutoSync",
    "DeleteAccountUser",
    "DeleteUnits",
    "Job",
    "MotionStep",
    "Propagate",
    "Push",
    "WebhookRetry",
    "World",
]

Job = (
    Push
    | MotionStep
    | AutoSync
    | WebhookRetry
    | DeleteAccountUser
    | DeleteUnits
    | AdvancedTimeout
    | Propagate
)
"""Everything that can be on the agenda: plain frozen values, so it can be snapshotted."""


class World:
    """Everything the simulator knows, moved only by commands and by time."""

    def __init__(self, clock: Clock, *, seed: int = 0, config: SimConfig | None = None) -> None:
        self.clock = clock
        self.seed = seed
        self.config = config or SimConfig()
        self.rng = random.Random(seed)
        self.scheduler = Scheduler()
        self.accounts: dict[int, Account] = {}
        self.account_users: dict[int, AccountUser] = {}
        self.tokens: dict[str, ApiToken] = {}
        self.locks: dict[int, Lock] = {}
        self.service_links: dict[int, set[str]] = {}  # account id -> linked service ids
        self.account_store = AccountStore()  # profiles, pins, OTP, settings
        self.notifications = NotificationBook()
        self.addresses = AddressBook()
        self._next_account_id = 100_001
        self._next_user_id = 200_001
        self._next_api_key_id = 1
        self.own_ports: set[int] = set()  # where the HTTP layer listens: no webhooks there
        self.random_secrets = False  # off loopback, secrets must not follow from the seed
        self.api_keys = ApiKeyBook()
        self.outbox = Outbox(self)
        self.notifier = Notifier(self.outbox)
        self.cloud_sync = CloudSync(self, self.notifier)
        self.device_events = DeviceEvents(self, self.notifier, self.cloud_sync)
        self.cloud_sync.motor = self.device_events
        self.advanced = AdvancedRequests(self, self.outbox, self.notifier)
        self.cloud_sync.settled = self.advanced.settled
        self._handlers: dict[type, Handler] = {
            Push: self.cloud_sync.run_push,
            AutoSync: self.cloud_sync.run_auto_sync,
            MotionStep: self.device_events.run_motion_step,
            WebhookRetry: self.outbox.run_retry,
            DeleteAccountUser: self._run_delete_account_user,
            DeleteUnits: self._run_delete_units,
            AdvancedTimeout: self.advanced.run_timeout,
            Propagate: self.cloud_sync.run_propagate,
        }

    def _run_delete_account_user(self, job: DeleteAccountUser, at: datetime) -> None:
        run_delete(self.account_users, job)
        self.wake()

    def _run_delete_units(self, job: DeleteUnits, at: datetime) -> None:
        self.addresses.run_delete_units(job)
        self.wake()

    # --- time -------------------------------------------------------------------------

    def now(self) -> datetime:
        """The simulated present: while a due job runs, the instant it runs as of."""
        at = self.scheduler.running_at
        if at is None:
            at = as_utc(self.clock.now())
        return at if not at.microsecond % 1000 else truncate_ms(at)

    def catch_up(self) -> list[Due]:
        """Run every job due by the clock's current time (the system clock moves by itself).

        Each job runs as of its own due instant, so a caught-up system clock produces the
        same timeline as a virtual clock stepped through the same interval.
        """
        ran = self.scheduler.run_jobs(as_utc(self.clock.now()), self._handlers)
        if ran:
            self.wake()  # the HTTP layer's views may have changed
        return ran

    def advance(self, delta: timedelta) -> list[Due]:
        """Move a virtual clock forward by ``delta``, running due jobs at their own instants."""
        if not isinstance(self.clock, VirtualClock):
            raise ClockError(
                "only a virtual clock can be advanced; the system clock follows the wall clock "
                "(move it with freezegun's freeze_time(..., real_asyncio=True))"
            )
        if delta < timedelta(0):
            raise ClockError(f"time only moves forward: cannot advance by {delta}")
        return self.advance_to(self.clock.now() + delta)

    def advance_to(self, target: datetime) -> list[Due]:
        """Move a virtual clock to ``target``; each due job runs as of its own instant (one
        overdue, which only a restore can leave, runs as of the clock's present)."""
        clock = self.clock
        if not isinstance(clock, VirtualClock):
            raise ClockError("only a virtual clock can be set")
        target = as_utc(target)
        start = clock.now()
        if target < start:
            clock.move_to(target)  # raises the clock's own "only moves forward" error
        scheduler = self.scheduler
        try:
            ran = scheduler.run_jobs(start, self._handlers, as_of=self.now())
            ran += scheduler.run_jobs(target, self._handlers)
        except BaseException:
            failed = scheduler.failed_at
            if failed is not None and failed > clock.now():
                clock.move_to(failed)
            raise
        clock.move_to(target)
        self.wake()  # time moved: the HTTP layer's views may have changed
        return ran

    # --- state as one value (snapshots, --state files, reset) ---------------------------

    def state(self) -> dict[str, Any]:
        """All mutable state as plain containers of domain values (see ``snapshot``)."""
        return {
            "seed": self.seed,
            "config": self.config,
            "now": self.clock.now() if isinstance(self.clock, VirtualClock) else None,
            "rng": self.rng.getstate(),
            "counters": (self._next_account_id, self._next_user_id, self._next_api_key_id),
            "accounts": self.accounts,
            "account_users": self.account_users,
            "tokens": self.tokens,
            "locks": self.locks,
            "service_links": self.service_links,
            "account_store": self.account_store,
            "api_keys": self.api_keys,
            "notifications": self.notifications,
            "addresses": self.addresses,
            "advanced": self.advanced.book,
            "agenda": list(self.scheduler.pending()),
            "agenda_seq": self.scheduler.seq,
            **self.outbox.state(),
        }

    def load(self, state: dict[str, Any]) -> None:
        """Become the world ``state`` describes (the inverse of :meth:`state`)."""
        self.seed = state["seed"]
        self.config = state["config"]
        if isinstance(self.clock, VirtualClock) and state["now"] is not None:
            self.clock.reset_to(state["now"])
        self.rng.setstate(state["rng"])
        self._next_account_id, self._next_user_id, self._next_api_key_id = state["counters"]
        self.accounts = state["accounts"]
        self.account_users = state["account_users"]
        self.tokens = state["tokens"]
        self.locks = state["locks"]
        self.service_links = state["service_links"]
        self.account_store = state["account_store"]
        self.api_keys = state["api_keys"]
        self.notifications = state["notifications"]
        self.addresses = state["addresses"]
        self.advanced.load(state["advanced"])
        self.scheduler.load(state["agenda"], state["agenda_seq"])
        self.outbox.load(state)
        self.outbox.rearm(state["agenda"])
        self.wake()

    # --- set-up (demo world and control plane) ---------------------------------------

    def add_account(
        self,
        *,
        email: str,
        name: str,
        language: str = "en",
        master_account_id: int | None = None,
        rights: int = 0,
    ) -> Account:
        account = Account(
            self._next_account_id, email, name, language, self.now(),
            master_account_id=master_account_id, rights=rights,
        )  # fmt: skip
        self._next_account_id += 1
        self.accounts[account.account_id] = account
        return account

    def forget_lock(self, lock_id: int) -> None:
        """A lock is gone: every store that names it lets go (a store added later joins here)."""
        self.notifications.forget_lock(lock_id)
        self.addresses.forget_lock(lock_id)
        self.advanced.forget_lock(lock_id)

    def delete_account(self, account_id: int) -> list[int]:
        """Delete an account, its sub accounts, and everything of theirs; the ids deleted.

        The cascade, one step per table; a store added later joins with its ``forget_lock``
        (per lock of the account) and ``forget_account``. Jobs on the agenda need no step: a
        push, motion step or auto sync of a lock that is gone, a pending account-user or unit
        delete of a row that is gone and a webhook retry of a subscription that is gone do
        nothing when they fall due.
        """
        if account_id not in self.accounts:
            raise NotFound(f"no account {account_id}")
        doomed = [account_id]
        for parent in doomed:  # grows while it is read: sub accounts of sub accounts
            doomed += [
                a.account_id
                for a in self.accounts.values()
                if a.master_account_id == parent and a.account_id not in doomed
            ]
        for gone in doomed:
            keys = {t.api_key_id for t in self.tokens.values() if t.account_id == gone}
            keys |= {s.api_key_id for s in self.subscriptions.values() if s.account_id == gone}
            for lock_id in _drop(self.locks, gone):  # each with its device, cloud copy, queue
                self.forget_lock(lock_id)
            _drop(self.account_users, gone)
            _drop(self.tokens, gone)  # they answer 401 from now on
            _drop(self.outbox.subscriptions, gone)  # with their outboxes
            for key in keys:
                self.outbox.logs.pop(key, None)  # the delivery logs of its API keys
            self.service_links.pop(gone, None)
            self.api_keys.forget_account(gone)  # its token strings are gone with the tokens
            self.notifications.forget_account(gone)
            self.addresses.forget_account(gone)
            self.advanced.forget_account(gone)
            self.account_store.forget_account(gone)
            del self.accounts[gone]
        self.wake()
        return doomed

    def add_account_user(
        self, account_id: int, *, email: str, name: str, language: str = "en", kind: int = 0
    ) -> AccountUser:
        user = AccountUser(self._next_user_id, account_id, email, name, language, self.now(), kind)
        self._next_user_id += 1
        self.account_users[user.account_user_id] = user
        return user

    def add_token(
        self,
        account_id: int,
        scopes: frozenset[str] = SCOPES,
        *,
        token: str | None = None,
        name: str = "API token",
    ) -> ApiToken:
        if account_id not in self.accounts:
            raise NotFound(f"no account {account_id}")
        unknown = scopes - SCOPES
        if unknown:
            raise ValueError(f"unknown scopes: {', '.join(sorted(unknown))}")
        drawn = ids.token(self.rng)  # drawn even when given, so every later id stays the same
        api_token = ApiToken(
            token or (ids.random_token() if self.random_secrets else drawn),
            account_id, frozenset(scopes), name, self.new_api_key_id(),
        )  # fmt: skip
        self.tokens[api_token.token] = api_token
        return api_token

    def new_api_key_id(self) -> int:
        """The next API key id (every token made by :meth:`add_token` has a key of its own)."""
        self._next_api_key_id += 1
        return self._next_api_key_id - 1

    def add_lock(
        self,
        account_id: int,
        *,
        name: str,
        keypad: bool = True,
        online: bool = True,
        battery: int = 100,
        timezone: str = "Europe/Berlin",
        sync_minute: int | None = None,
        model: str = devices.DEFAULT_MODEL,
        keypad_model: str | None = None,
    ) -> Lock:
        """A new lock of ``model`` (devices.MODELS); ``keypad_model`` None: the model's
        default keypad (used when ``keypad``)."""
        if account_id not in self.accounts:
            raise NotFound(f"no account {account_id}")
        devices.check_pairing(model, keypad_model if keypad else None)  # BadParameter if not
        spec = devices.MODELS[model]
        paired = keypad_model or spec.default_keypad or devices.DEFAULT_KEYPAD
        smartlock_id = ids.smartlock_id(self.rng, spec.type)
        while smartlock_id in self.locks:
            smartlock_id = ids.smartlock_id(self.rng, spec.type)
        now = self.now()
        device = Device(
            timezone=timezone, keypad_paired=keypad and bool(spec.keypads), online=online,
            keypad_model=paired,
        )  # fmt: skip
        device.battery = float(battery)
        status = device.status
        if not spec.door_sensor:
            status = replace(status, door_state=DoorState.UNAVAILABLE)
        device.status = dev.with_battery(status, battery, self.config)
        lock = Lock(
            smartlock_id=smartlock_id,
            account_id=account_id,
            auth_id=device.next_slot,
            name=name,
            device=device,
            cloud=CloudCopy(status=device.status, last_sync=now),
            creation_date=now,
            update_date=now,
            sync_minute=self.rng.randrange(24 * 60) if sync_minute is None else sync_minute,
            api_auth_id=ids.object_id(self.rng, now),
            type=spec.type,
            product_variant=spec.product_variant,
            firmware_version=spec.firmware_version,
            hardware_version=spec.hardware_version,
            model=spec.name,
        )
        device.next_slot += 1  # the Web API's own authorization takes the first slot
        web_api = Auth(
            id=lock.api_auth_id, smartlock_id=smartlock_id, auth_id=lock.auth_id,
            type=AuthType.APP, name=WEB_API_AUTH, enabled=True, remote_allowed=True,
            creation_date=now, update_date=now,
        )  # fmt: skip
        device.auths[web_api.id] = lock.cloud.auths[web_api.id] = web_api  # listed, as by Nuki
        self.locks[smartlock_id] = lock
        self.schedule_auto_sync(lock)
        return lock

    def seed_auth(self, lock: Lock, auth: Auth) -> Auth:
        """Put an authorization on the device and in the cloud at once (demo data, restores)."""
        return lifecycle.seed(lock, auth)

    def new_id(self) -> str:
        return ids.object_id(self.rng, self.now())

    # --- the parts, under the names the API, the control plane and HTTP layer call -------

    def enqueue(self, lock: Lock, command: Command) -> None:
        """Accept a command: it waits in the lock's queue until the device receives it."""
        self.cloud_sync.enqueue(lock, command)

    def deliver(self, lock: Lock, *, until: str | None = None) -> list[Outcome]:
        return self.cloud_sync.deliver(lock, until=until)

    def lock_busy(self, lock: Lock) -> bool:
        return self.cloud_sync.lock_busy(lock)

    def cloud_keypad_codes(self, lock: Lock) -> dict[int, str]:
        """Keypad codes the cloud knows on a lock (code → auth id), failed creates excluded:
        under ``seed`` those listed, under ``nuki-docs`` pending writes included."""
        if self.config.profile == "nuki-docs":
            return lifecycle.known_keypad_codes(lock)
        return lifecycle.keypad_codes(lock)

    def sync(self, lock: Lock) -> bool:
        return self.cloud_sync.sync(lock)

    def schedule_auto_sync(self, lock: Lock) -> None:
        self.cloud_sync.schedule_auto_sync(lock)

    def set_online(self, lock: Lock, online: bool) -> list[Outcome]:
        return self.device_events.set_online(lock, online)

    def set_battery(self, lock: Lock, charge: float) -> None:
        self.device_events.set_battery(lock, charge)

    def set_jammed(self, lock: Lock, jammed: bool) -> None:
        self.device_events.set_jammed(lock, jammed)

    def keypad_entry(self, lock: Lock, code: int | str) -> tuple[bool, str]:
        return self.device_events.keypad_entry(lock, code)

    def notify_masterdata(self, lock: Lock, *, deleted: bool = False) -> None:
        self.notifier.masterdata(lock, deleted=deleted)

    @property
    def subscriptions(self) -> dict[int, Subscription]:
        return self.outbox.subscriptions

    @property
    def webhook_logs(self) -> dict[int, deque[Attempt]]:
        return self.outbox.logs

    @property
    def listeners(self) -> list[Callable[[], None]]:
        """The HTTP layer's wake-up calls (webhook dispatcher, dashboard)."""
        return self.outbox.listeners

    @property
    def retry_policy(self) -> RetryPolicy:
        return self.outbox.retry_policy

    def wake(self) -> None:
        self.outbox.wake()

    def subscribe(self, token: ApiToken, registration: Registration) -> Subscription:
        return self.outbox.subscribe(token, registration)

    def subscription(self, account_id: int, sub_id: int) -> Subscription:
        return self.outbox.subscription(account_id, sub_id)

    def unsubscribe(self, account_id: int, sub_id: int) -> None:
        self.outbox.unsubscribe(account_id, sub_id)

    def reactivate_key(self, account_id: int, api_key_id: int) -> list[Subscription]:
        return self.outbox.reactivate_key(account_id, api_key_id)

    def attempts(self, api_key_id: int | None = None) -> list[Attempt]:
        return self.outbox.attempts(api_key_id)


def _drop(table: dict[Any, Any], account_id: int) -> list[Any]:
    """Remove every row of ``account_id`` from ``table`` (in place: parts hold the dicts);
    the keys removed."""
    doomed = [key for key, row in table.items() if row.account_id == account_id]
    for key in doomed:
        del table[key]
    return doomed
