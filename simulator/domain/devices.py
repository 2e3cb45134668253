"""The device models a simulated lock can be: Nuki's products as data.

One frozen record per lock model (its ``Smartlock.type``, ``productVariant``, firmware and
hardware versions, what it can do) and per keypad model (how many entries it holds). A lock
keeps the *name* of its model (``Lock.model``) and of its keypad (``Device.keypad_model``),
so a snapshot stays plain data and an older snapshot loads as the one model there was
(a Smart Lock 3.0 Pro with a Keypad). Hot paths read ``lock.type`` as before; the record is
looked up (one dict access) only where a capability decides something: an action, a config
write, a keypad code's capacity.

Where Nuki is silent the values are the simulator's choice, said so in docs/behaviour.md
("Device models"): ``productVariant`` is documented for type 5 only (1 Go, 2 Pro, 3 Ultra);
the older types report 1 for a base model and 2 for a Pro, as the simulator always sent 2 for
its 3.0 Pro.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from nuki_sim.simulator.domain import messages
from nuki_sim.simulator.domain.codes import Action
from nuki_sim.simulator.domain.errors import BadParameter

# Smartlock.type (Swagger 4.18): 0 Smart Lock 1/2, 1 Box, 2 Opener, 3 Smart Door,
# 4 Smart Lock 3/4, 5 Smart Lock 5th generation.
KEYTURNER, BOX, OPENER, SMARTDOOR, SMARTLOCK, SMARTLOCK5 = 0, 1, 2, 3, 4, 5

LOCK_ACTIONS = frozenset(int(a) for a in Action)  # types 0/3/4/5: 1 … 5
BOX_ACTIONS = frozenset({1})  # type 1: unlock only
# type 2: 1 activate ring to open, 2 deactivate it, 3 open (electric strike actuation),
# 6 activate continuous mode, 7 deactivate it (the Swagger's SmartlockAction.action).
OPENER_ACTIONS = frozenset({1, 2, 3, 6, 7})
ACTION_NAMES = {
    SMARTLOCK: "1 unlock, 2 lock, 3 unlatch, 4 lock 'n' go, 5 lock 'n' go with unlatch",
    BOX: "1 unlock",
    OPENER: "1 activate ring to open, 2 deactivate ring to open, 3 open, "
    "6 activate continuous mode, 7 deactivate continuous mode",
}


@dataclass(frozen=True)
class KeypadModel:
    """A keypad: ``capacity`` entries (Keypad 2: codes and fingerprints together)."""

    name: str
    capacity: int
    fingerprints: bool  # Keypad 2 reads fingerprints; its entries count against capacity
    keypad2: bool  # reported as config.keypad2Paired (else config.keypadPaired)


KEYPAD = KeypadModel("Keypad", 100, fingerprints=False, keypad2=False)
KEYPAD_2 = KeypadModel("Keypad 2", 200, fingerprints=True, keypad2=True)
KEYPADS: dict[str, KeypadModel] = {k.name: k for k in (KEYPAD, KEYPAD_2)}


@dataclass(frozen=True)
class DeviceModel:
    """One Nuki device model and what it can do."""

    name: str
    type: int  # Smartlock.type (and the leading digit of its smartlockId)
    product_variant: int  # config.productVariant
    firmware_version: int  # packed 0xMMmmpp
    hardware_version: int
    actions: frozenset[int]  # the SmartlockAction.action values it accepts
    open_action: int  # what a granted keypad code does (unlock; an opener opens)
    door_sensor: bool  # doorState is reported (1 deactivated) rather than 0 unavailable
    night_mode: bool
    wifi: bool  # config.wifiEnabled
    thread: bool  # Matter over Thread
    keypads: tuple[str, ...]  # the keypad models it pairs with (first: the default)
    advanced: str  # which advanced config it has: "advanced", "opener" or "smartdoor"

    @property
    def unlatch(self) -> bool:
        return int(Action.UNLATCH) in self.actions and self.type != OPENER

    @property
    def default_keypad(self) -> str | None:
        return self.keypads[0] if self.keypads else None


def _lock(
    name: str, kind: int, variant: int, fw: int, hw: int, *, wifi: bool, thread: bool,
    keypads: tuple[str, ...] = ("Keypad", "Keypad 2"), night_mode: bool = True,
) -> DeviceModel:  # fmt: skip
    return DeviceModel(
        name, kind, variant, fw, hw, LOCK_ACTIONS, 1, door_sensor=True, night_mode=night_mode,
        wifi=wifi, thread=thread, keypads=keypads, advanced="advanced",
    )  # fmt: skip


MODELS: dict[str, DeviceModel] = {
    m.name: m
    for m in (
        # The first is the default: every lock made before there were models is one.
        _lock("Smart Lock 3.0 Pro", SMARTLOCK, 2, 0x030904, 0x0A02, wifi=True, thread=False),
        _lock("Smart Lock 3.0", SMARTLOCK, 1, 0x030904, 0x0A01, wifi=False, thread=False),
        _lock("Smart Lock 4.0", SMARTLOCK, 1, 0x040302, 0x0B01, wifi=False, thread=True),
        _lock("Smart Lock 4.0 Pro", SMARTLOCK, 2, 0x040302, 0x0B02, wifi=True, thread=True),
        _lock("Smart Lock Ultra", SMARTLOCK5, 3, 0x050102, 0x1003, wifi=True, thread=True),
        # Firmware and hardware of a real type-0 lock's GET /smartlock (132608, 2817).
        _lock(
            "Smart Lock 2.0",
            KEYTURNER,
            1,
            0x020600,
            0x0B01,
            wifi=False,
            thread=False,
            keypads=("Keypad",),
            night_mode=False,
        ),
        DeviceModel(
            "Opener",
            OPENER,
            1,
            0x010A02,
            0x0601,
            OPENER_ACTIONS,
            3,
            door_sensor=False,
            night_mode=False,
            wifi=False,
            thread=False,
            keypads=("Keypad", "Keypad 2"),
            advanced="opener",
        ),
        DeviceModel(
            "Smart Door",
            SMARTDOOR,
            1,
            0x010204,
            0x0D01,
            LOCK_ACTIONS,
            1,
            door_sensor=True,
            night_mode=True,
            wifi=True,
            thread=True,
            keypads=("Keypad 2", "Keypad"),
            advanced="smartdoor",
        ),
        DeviceModel(
            "Box",
            BOX,
            1,
            0x010100,
            0x0E01,
            BOX_ACTIONS,
            1,
            door_sensor=False,
            night_mode=False,
            wifi=False,
            thread=False,
            keypads=(),
            advanced="advanced",
        ),
    )
}
DEFAULT_MODEL = "Smart Lock 3.0 Pro"
DEFAULT_KEYPAD = KEYPAD.name


def model(name: str) -> DeviceModel:
    """The model named ``name`` (a lock's ``model`` field; a restore checked it)."""
    return MODELS[name]


def keypad_capacity(keypad_model: str, override: int | None) -> int:
    """How many keypad codes a lock holds: ``SimConfig.max_keypad_codes`` where set, else its
    keypad model's capacity."""
    return override if override is not None else KEYPADS[keypad_model].capacity


def choices(names: Iterable[str]) -> str:
    """The names a caller may give, for a 400's hint."""
    return ", ".join(repr(n) for n in names)


def action_hint(device: DeviceModel) -> str:
    kind = device.type if device.type in ACTION_NAMES else SMARTLOCK
    return f"the {device.name} (type {device.type}) takes actions {ACTION_NAMES[kind]}"


def check_action(model_name: str, action: int) -> None:
    """Refuse an action the lock's model cannot do, as Nuki refuses a value it will not take
    (400 ``The supplied value … for parameter 'action' is not valid``)."""
    spec = MODELS[model_name]
    if action not in spec.actions:
        raise BadParameter(messages.invalid_value("action", action), hint=action_hint(spec))


def check_pairing(model_name: str, keypad_name: str | None) -> None:
    """Refuse an unknown model or keypad, or a keypad the model does not pair with (a 400 that
    lists the choices)."""
    spec = MODELS.get(model_name)
    if spec is None:
        raise BadParameter(f"unknown model {model_name!r:.40}", hint=f"models: {choices(MODELS)}")
    if keypad_name is None:
        return
    if keypad_name not in KEYPADS:
        raise BadParameter(
            f"unknown keypad {keypad_name!r:.40}",
            hint=f"keypads: {choices(KEYPADS)}, or true/false",
        )
    if keypad_name not in spec.keypads:
        pairs = choices(spec.keypads) if spec.keypads else "none"
        raise BadParameter(
            f"the {spec.name} does not pair with the {keypad_name}", hint=f"it pairs with: {pairs}"
        )


def _version(packed: int) -> str:
    return f"{packed >> 16}.{(packed >> 8) & 0xFF}.{packed & 0xFF}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "–"


def docs_table() -> str:
    """The Markdown table docs/behaviour.md carries (a test compares the two)."""
    rows = [
        "| Model | `type` | `productVariant` | Firmware (hardware) | Actions | Door sensor | "
        "Night mode | Wi-Fi | Thread | Keypads (first: default) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in MODELS.values():
        firmware = f"{_version(m.firmware_version)} (0x{m.hardware_version:04X})"
        actions = ", ".join(str(a) for a in sorted(m.actions))
        keypads = ", ".join(m.keypads) or "none"
        rows.append(
            f"| {m.name} | {m.type} | {m.product_variant} | {firmware} | {actions} | "
            f"{_yes(m.door_sensor)} | {_yes(m.night_mode)} | {_yes(m.wifi)} | {_yes(m.thread)} | "
            f"{keypads} |"
        )
    rows += ["", "| Keypad | Holds |", "|---|---|"]
    for k in KEYPADS.values():
        what = "entries: codes and fingerprints together" if k.fingerprints else "codes"
        rows.append(f"| {k.name} | {k.capacity} {what} |")
    return "\n".join(rows)
