"""One Nuki lock as a trait device, and the adapter's bookkeeping for it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from nuki_sim.adapters.nuki import mapping
from nuki_sim.adapters.nuki.rules import PROPERTIES
from nuki_sim.adapters.traits import (
    CONNECTIVITY_FIELD,
    Desired,
    Device,
    PinCodeCredential,
    Reported,
    StateField,
    Trait,
    TraitName,
)

TYPES = {0: "Smart Lock 2.0", 1: "Box", 2: "Opener", 3: "Smart Door"}
VARIANTS = {1: "Smart Lock Go", 2: "Smart Lock Pro", 3: "Smart Lock Ultra"}  # type 5 only


def model_name(lock: dict[str, Any]) -> str:
    """The product name from what Nuki documents: ``type`` (0-5), ``productVariant`` (which
    Nuki defines for type 5 only), and for type 4 (Smart Lock 3.0 and 4.0) the firmware's
    major version for the generation and Wi-Fi (``config.wifiEnabled``) for a Pro."""
    config = lock.get("config") or {}
    kind = lock.get("type", 4)
    if kind == 5:
        return VARIANTS.get(config.get("productVariant", 0), "Smart Lock")
    if kind != 4:
        return TYPES.get(kind, "Nuki device")
    generation = "4.0" if (lock.get("firmwareVersion", 0) >> 16) >= 4 else "3.0"
    return f"Smart Lock {generation}" + (" Pro" if config.get("wifiEnabled") else "")


def build_device(lock: dict[str, Any]) -> Device:
    """A device with the four traits Nuki supports, with no state reported yet."""
    model = model_name(lock)
    traits = {
        TraitName.LOCK: Trait(
            TraitName.LOCK,
            {"supportsIsJammed": True},
            {"isLocked": StateField(), "isJammed": StateField()},
        ),
        TraitName.BATTERY_LEVEL: Trait(
            TraitName.BATTERY_LEVEL, {}, {"percentage": StateField(), "status": StateField()}
        ),
        TraitName.BETA_PIN_CODE_CREDENTIALS: Trait(
            TraitName.BETA_PIN_CODE_CREDENTIALS,
            _camel(asdict(PROPERTIES)),
            {"pinCodeCredentials": StateField()},
        ),
        TraitName.BETA_CONNECTIVITY: Trait(
            TraitName.BETA_CONNECTIVITY, {}, {CONNECTIVITY_FIELD: StateField()}
        ),
    }
    return Device(
        id=str(lock["smartlockId"]),
        display_name=str(lock.get("name", "")),
        manufacturer="Nuki",
        model=model,
        serial_number=f"{int(lock['smartlockId']) & 0xFFFFFFFF:08X}",
        traits=traits,
    )


@dataclass
class DeviceRecord:
    device: Device
    known: dict[str, PinCodeCredential] = field(default_factory=dict)
    keypad: bool = True  # config.keypadPaired: without a keypad there are no PIN codes
    # What the adapter asked for its own codes, by auth id: the record cannot show every
    # schedule (see mapping.credential_from). Kept in memory only, like everything else.
    asked: dict[str, PinCodeCredential] = field(default_factory=dict)

    def read(
        self, auth: dict[str, Any], asked: PinCodeCredential | None = None
    ) -> PinCodeCredential:
        """The credential a Nuki record stands for; ``asked``: our action it just settled.

        What we asked for is remembered while the record still holds it; once someone changes
        the code elsewhere, the record alone says what it is.
        """
        auth_id = str(auth["id"])
        if asked is not None:
            self.asked[auth_id] = asked
        mine = self.asked.get(auth_id)
        if mine is not None and not mapping.same_content(mine, auth):
            del self.asked[auth_id]
            mine = None
        return mapping.credential_from(auth, mine)

    def forget(self, auth_id: str) -> bool:
        """Drop a code that is gone (or failed); True when it was listed."""
        self.asked.pop(auth_id, None)
        return self.known.pop(auth_id, None) is not None

    @property
    def smartlock_id(self) -> int:
        return int(self.device.id)

    def credential_list(self) -> list[PinCodeCredential]:
        return sorted(self.known.values(), key=lambda c: c.id)

    def report(self, trait: TraitName, name: str, value: Any, now: datetime) -> bool:
        """Store a reported value; True when it changed (and so deserves an event)."""
        state = self.device.traits[trait].state[name]
        if state.reported is not None and state.reported.value == value:
            return False
        state.reported = Reported(value, now, now)
        return True

    def desire(
        self, trait: TraitName, name: str, value: Any, action_id: str, now: datetime
    ) -> None:
        self.device.traits[trait].state[name].desired = Desired(value, now, action_id)


def _camel(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        head, *rest = key.split("_")
        out[head + "".join(p.title() for p in rest)] = (
            _camel(value) if isinstance(value, dict) else value
        )
    return out
