"""The config request bodies (Swagger 4.18.0), written out for the OpenAPI document from the
same table the parser checks (``device_config.WRITABLE``), so the two cannot disagree.

Open like every Nuki body: unknown and read-only keys are ignored and ``null`` counts as
omitted. The meaning of each field is described once, in the response shapes
(``SmartlockConfig``, ``SmartlockAdvancedConfig``, ``SmartlockOpenerAdvancedConfig``,
``SmartlockSmartdoorAdvancedConfig``).
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Any, NotRequired, Required, TypedDict

from nuki_sim.simulator.domain.config_shapes import SmartlockWebConfig
from nuki_sim.simulator.domain.describe import Doc, Raw, doc
from nuki_sim.simulator.domain.device_config import WRITABLE, Setting


def _field(setting: Setting) -> Any:
    kind: Any = setting.kind
    if setting.choices:
        meta: Any = Raw({"type": "integer", "enum": list(setting.choices)})
    elif kind is str:
        meta = doc("1 to 32 characters.", minLength=1, maxLength=32)
    elif kind is bool:
        meta = Doc()
    else:
        meta = Doc(minimum=setting.low, maximum=setting.high)
    typed = Annotated[kind, meta]
    return Required[typed] if setting.required else NotRequired[typed]


def _body(name: str, part: str, text: str) -> type:
    fields = {s.key: _field(s) for s in WRITABLE[part]}
    shape: type = TypedDict(name, fields, total=False)  # type: ignore[misc]
    shape.__doc__ = text
    return shape


SmartlockConfigUpdate = _body(
    "SmartlockConfigUpdate",
    "settings",
    "Smartlock.Config as written: the lock applies it after the push delay (queued while it "
    "is offline). timezoneId 65535 keeps the lock's zone.",
)
SmartlockAdvancedConfigUpdate = _body(
    "SmartlockAdvancedConfigUpdate",
    "advanced",
    "Smartlock.AdvancedConfig as written (smart locks; not an opener or a smart door). With "
    "autoLock on, an autoLockTimeout below 2 is taken as 2.",
)
SmartlockOpenerAdvancedConfigUpdate = _body(
    "SmartlockOpenerAdvancedConfigUpdate",
    "opener",
    "Smartlock.OpenerAdvancedConfig as written (openers, type 2, only).",
)
SmartlockSmartdoorAdvancedConfigUpdate = _body(
    "SmartlockSmartdoorAdvancedConfigUpdate",
    "smartdoor",
    "Smartlock.SmartdoorAdvancedConfig as written (smart doors, type 3, only).",
)
SmartlockAdminPinUpdate = _body(
    "SmartlockAdminPinUpdate", "admin_pin", "The lock's new admin PIN (0 to 9999)."
)


class WebConfigRequest(TypedDict, total=False):
    """One lock's web config in a bulk write."""

    smartlockId: Required[Annotated[int, Doc("A lock of the account.", minimum=1, int64=True)]]
    webConfig: Required[SmartlockWebConfig]


class BulkWebConfigRequest(TypedDict, total=False):
    """Web configs for several locks; every lock is checked before any is changed."""

    webConfigRequests: Required[list[WebConfigRequest]]


BODIES: tuple[type, ...] = (
    SmartlockConfigUpdate,
    SmartlockAdvancedConfigUpdate,
    SmartlockOpenerAdvancedConfigUpdate,
    SmartlockSmartdoorAdvancedConfigUpdate,
    SmartlockAdminPinUpdate,
    WebConfigRequest,
    BulkWebConfigRequest,
)
