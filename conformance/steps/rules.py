"""Steps for rules that hold on every path: PIN codes given in any JSON form, updates that
must pass the same rules as creates, and webhooks that must be signed by Nuki.

They reuse the trait suite's helpers (``execute``, ``credential``, ``pin_parameters``), so an
action started here is checked by the same outcome steps (``the action is rejected as
invalid``, ``nothing was sent to ...``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pytest_bdd import parsers, then, when

from nuki_sim.conformance.steps.common import control, lock_id
from nuki_sim.conformance.steps.traits import (
    PIN,
    credential,
    device,
    execute,
    pin_parameters,
    weekly,
)

if TYPE_CHECKING:  # the kit's driver and aiohttp load when a scenario runs, not at start-up
    from nuki_sim.conformance.driver import Driver

SIGNATURE_HEADER = "X-Nuki-Signature-SHA256"
UNLOCKED = 3  # Nuki's lock state "unlocked"
WRONG_SECRET = b"a secret Nuki never handed out"


# --- PIN codes in any form, on create and on update ----------------------------------------


@when(parsers.parse('I create a PIN code {number:d} named "{label}" on "{name}"'))
def _create_number(kit: Driver, number: int, label: str, name: str) -> None:
    """Create a credential whose pinCode is a JSON number, not the string the trait asks for."""
    parameters = pin_parameters("", label)
    parameters["pinCodeCredential"]["pinCode"] = number
    execute(kit, name, PIN, "createPinCodeCredential", parameters)


def _change(kit: Driver, pin: str, name: str, parameters: dict[str, Any]) -> None:
    """Send ``parameters`` as an update of the credential ``name`` reports with ``pin``."""
    parameters["pinCodeCredential"]["id"] = credential(kit, name, pin)["id"]
    execute(kit, name, PIN, "updatePinCodeCredential", parameters)


@when(parsers.parse('I change the PIN code "{pin}" on "{name}" to {number:d} named "{label}"'))
def _update_number(kit: Driver, pin: str, name: str, number: int, label: str) -> None:
    """Update a reported credential to a pinCode given as a JSON number."""
    parameters = pin_parameters("", label)
    parameters["pinCodeCredential"]["pinCode"] = number
    _change(kit, pin, name, parameters)


@when(
    parsers.parse(
        'I change the PIN code "{pin}" on "{name}" to "{new_pin}" named "{label}" '
        "with {count:d} {kind} schedules"
    )
)
def _update_schedules(
    kit: Driver, pin: str, name: str, new_pin: str, label: str, count: int, kind: str
) -> None:
    """Update a reported credential to ``count`` temporary or recurring schedules."""
    if kind == "temporary":
        windows = [
            {
                "startDatetime": f"2026-02-0{i + 1}T08:00:00Z",
                "endDatetime": f"2026-02-0{i + 1}T18:00:00Z",
            }
            for i in range(count)
        ]
        parameters = pin_parameters(new_pin, label, temporary=windows)
    elif kind == "recurring":
        rules = [weekly(day, "08:00", 60) for day in ("MO", "TU", "WE", "TH")[:count]]
        parameters = pin_parameters(new_pin, label, recurring=rules)
    else:
        raise AssertionError(f"schedules are temporary or recurring, not {kind!r}")
    _change(kit, pin, name, parameters)


# --- webhooks that Nuki did not sign ---------------------------------------------------------


@dataclass(frozen=True)
class Forgery:
    """A DEVICE_STATUS someone posted to the integration, and what it reported before."""

    lock: str
    body: bytes
    subscriptions: tuple[tuple[str, bytes], ...]  # (webhookUrl, secret) of the integration
    before: dict[str, dict[str, Any]]


def reporting(kit: Driver, name: str) -> dict[str, dict[str, Any]]:
    """Every reported value of the device: trait name → field → value."""
    return {
        t["name"]: {f: (s.get("reported") or {}).get("value") for f, s in t["state"].items()}
        for t in device(kit, name)["traits"]
    }


def subscriptions(kit: Driver) -> tuple[tuple[str, bytes], ...]:
    """The integration's DEVICE_STATUS subscriptions, read from the simulator's control plane."""
    found = tuple(
        (str(s["webhookUrl"]), str(s["secret"]).encode())
        for s in kit.run(control(kit).webhooks())
        if s.get("accountId") == kit.account_id and "DEVICE_STATUS" in s["webhookFeatures"]
    )
    assert found, "the integration subscribed to no DEVICE_STATUS webhook"
    return found


def sign(secret: bytes, body: bytes) -> str:
    return hmac.new(secret, body, hashlib.sha256).hexdigest()


def post(kit: Driver, url: str, body: bytes, signature: str | None) -> None:
    """POST ``body`` to ``url`` as Nuki Web would; whatever the integration answers is its own."""
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature

    async def send() -> None:
        assert kit.session is not None
        async with kit.session.post(url, data=body, headers=headers) as reply:
            await reply.read()

    kit.run(send())


def _status_body(kit: Driver, name: str, **changes: Any) -> bytes:
    """A DEVICE_STATUS for the lock as Nuki Web shows it now, with ``changes`` to its state."""
    lock = lock_id(kit, name)
    shown = kit.run(kit.api.request("GET", f"/smartlock/{lock}")).body
    payload = {
        "feature": "DEVICE_STATUS",
        "smartlockId": lock,
        "state": {**shown["state"], **changes},
        "serverState": shown["serverState"],
        "adminPinState": 0,
    }
    return json.dumps(payload).encode()


@when(
    parsers.parse(
        'someone posts a DEVICE_STATUS for "{name}" showing it unlocked at {charge:d} percent '
        "battery, {signature}"
    ),
    target_fixture="forgery",
)
def _post_forged(kit: Driver, name: str, charge: int, signature: str) -> Forgery:
    """Post a DEVICE_STATUS (unlocked, ``charge`` percent, batteryCritical) to the integration's
    webhook URL with no signature, one made with a wrong secret, or the valid signature of the
    lock's true status. Remembers what the integration reported just before."""
    forgery = Forgery(
        name,
        _status_body(kit, name, state=UNLOCKED, batteryCharge=charge, batteryCritical=True),
        subscriptions(kit),
        reporting(kit, name),
    )
    for url, secret in forgery.subscriptions:
        if signature == "no signature":
            given = None
        elif signature == "a signature made with the wrong secret":
            given = sign(WRONG_SECRET, forgery.body)
        elif signature == "the valid signature of a different body":
            given = sign(secret, _status_body(kit, name))
        else:
            raise AssertionError(f"no such kind of signature: {signature!r}")
        post(kit, url, forgery.body, given)
    return forgery


@when("the same DEVICE_STATUS is posted with a valid signature")
def _post_signed(kit: Driver, forgery: Forgery) -> None:
    """Post the very same body again, signed with the subscription's secret, as Nuki would."""
    for url, secret in forgery.subscriptions:
        post(kit, url, forgery.body, sign(secret, forgery.body))


@then(parsers.parse('nothing that "{name}" reports has changed'))
def _unchanged(kit: Driver, name: str, forgery: Forgery) -> None:
    """Assert every reported value of every trait equals what it was before the forged post."""
    now = reporting(kit, name)
    changed = {
        f"{t}.{f}": (forgery.before.get(t, {}).get(f), v)
        for t, fields in now.items()
        for f, v in fields.items()
        if forgery.before.get(t, {}).get(f) != v
    }
    assert not changed, f"an unsigned or forged webhook changed (before, after): {changed}"
