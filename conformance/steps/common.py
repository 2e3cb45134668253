"""Steps both suites share: locks, time, connectivity and device events.

Steps never reach into domain objects: they go through the control plane and the API, the
same way a test against an out-of-process simulator would.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from pytest_bdd import given, parsers, then, when

if TYPE_CHECKING:  # the kit's driver and aiohttp load when a scenario runs, not at start-up
    from nuki_sim.conformance.driver import Driver


UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def lock_id(kit: Driver, name: str) -> int:
    try:
        return kit.scenario.locks[name]
    except KeyError:
        raise AssertionError(
            f"no lock named {name!r} in this scenario (a Given creates it)"
        ) from None


def control(kit: Driver):  # type: ignore[no-untyped-def]
    assert kit.control is not None and kit.has_control, "this step needs the /_sim control plane"
    return kit.control


@given(parsers.parse('a lock "{name}" with a keypad'))
def _lock_with_keypad(kit: Driver, name: str) -> None:
    """Create a lock with a keypad on the account through the control plane; steps name it from now
    on."""
    lock = kit.run(control(kit).create_lock(kit.account_id, name, keypad=True))
    kit.scenario.locks[name] = int(lock["smartlockId"])


@given(parsers.parse('a lock "{name}" without a keypad'))
def _lock_without_keypad(kit: Driver, name: str) -> None:
    """Create a lock without a keypad (Nuki refuses keypad codes for it); steps name it from now
    on."""
    lock = kit.run(control(kit).create_lock(kit.account_id, name, keypad=False))
    kit.scenario.locks[name] = int(lock["smartlockId"])


@given(parsers.parse('"{name}" is offline'))
@when(parsers.parse('"{name}" goes offline'))
def _offline(kit: Driver, name: str) -> None:
    """Take the lock off the network: Nuki Web shows it offline and queues its commands."""
    kit.run(control(kit).connectivity(lock_id(kit, name), False))
    kit.run(control(kit).flush_webhooks())


@when(parsers.parse('"{name}" comes back online'))
def _online(kit: Driver, name: str) -> None:
    """Bring the lock back: Nuki Web applies its queued commands in order and sends their
    results."""
    kit.run(control(kit).connectivity(lock_id(kit, name), True))
    kit.run(control(kit).flush_webhooks())


@given(parsers.parse('the motor of "{name}" is jammed'))
def _jammed(kit: Driver, name: str) -> None:
    """Jam the lock's motor: the next lock or unlock ends jammed."""
    kit.run(control(kit).jam(lock_id(kit, name), True))


@when(parsers.parse('the battery of "{name}" drops to {charge:d} percent'))
def _battery(kit: Driver, name: str, charge: int) -> None:
    """Set the lock's battery charge, as the lock would report it to Nuki Web."""
    kit.run(control(kit).battery(lock_id(kit, name), charge))
    kit.run(control(kit).flush_webhooks())


@when(parsers.re(r"(?P<amount>\d+) (?P<unit>second|minute|hour|day)s? pass(?:es)?"))
def _time_passes(kit: Driver, amount: str, unit: str) -> None:
    """Move time on (simulator and in-process adapter together), an hour at a time, delivering
    webhooks between."""
    kit.pass_time(timedelta(seconds=int(amount) * UNITS[unit]))


@when("Nuki Web's propagation delay passes")
def _propagation(kit: Driver) -> None:
    """Under the nuki-docs profile: move time on by the simulator's push and propagation delays
    (GET /_sim/config) and a second, so a write just made is applied, listed and its
    DEVICE_AUTHS sent."""
    kit.pass_time(timedelta(seconds=kit.listing_delay + 1))


@when(parsers.parse('the daily sync of "{name}" runs'))
def _daily_sync(kit: Driver, name: str) -> None:
    """Move time to just after the lock's next auto sync (whatever time of day it has)."""
    device = kit.run(control(kit).device(lock_id(kit, name)))
    clock = kit.run(control(kit).clock())
    gap = _instant(device["nextAutoSync"]) - _instant(clock["now"])
    kit.pass_time(gap + timedelta(minutes=1))


@then(parsers.parse('the PIN code "{pin}" opens "{name}"'))
@then(parsers.parse('the keypad of "{name}" accepts {pin}'))
def _opens(kit: Driver, pin: str, name: str) -> None:
    """Enter the code on the lock's keypad; asserts the lock grants it (the device's truth, not
    Nuki's list)."""
    result = kit.run(control(kit).keypad(lock_id(kit, name), pin))
    assert result["granted"], f"the keypad of {name} refused {pin}: {result['reason']}"


@then(parsers.parse('the PIN code "{pin}" does not open "{name}"'))
@then(parsers.parse('the keypad of "{name}" refuses {pin}'))
def _refuses(kit: Driver, pin: str, name: str) -> None:
    """Enter the code on the lock's keypad; asserts the lock refuses it."""
    result = kit.run(control(kit).keypad(lock_id(kit, name), pin))
    assert not result["granted"], f"the keypad of {name} opened for {pin}"


def _instant(text: str):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat(re.sub(r"Z$", "+00:00", text))
