"""Nuki Web's operations for smart lock, opener and smart door configuration, admin PIN, web config and bulk web config (Swagger 4.18.0).

Joined into the API by :mod:`nuki_sim.simulator.http.openapi`: ``OPERATIONS`` go into the
Nuki area (a Nuki token, scopes checked by the table, path ids of ``params.NUKI_PATH``);
``AREAS`` are areas of their own (their own path ids or way of identifying the caller).

Every operation needs ``smartlock.config`` and answers 204. The device writes (config,
advanced configs, admin PIN) are queued for the lock like authorization writes; the web
config is the cloud's own and changes at once.
"""

from __future__ import annotations

from nuki_sim.simulator.domain.config_shapes import (
    SmartlockOpenerAdvancedConfig,
    SmartlockSmartdoorAdvancedConfig,
    SmartlockWebConfig,
)
from nuki_sim.simulator.http import config_bodies, config_parse
from nuki_sim.simulator.http.nuki_ops import E401, E403, E404_LOCK, E413, LOCK_READ
from nuki_sim.simulator.http.operations import Area, Body, Operation
from nuki_sim.simulator.http.schema import ref

TAG = "Smartlock"
SCOPES = ("smartlock.config",)
LOCK = "/smartlock/{smartlockId}"
QUEUED = (
    " Answers 204 at once; the write waits in the lock's queue like an authorization write: "
    "an online lock applies it after the push delay, an offline one when it is back. Then "
    "`GET /smartlock/{smartlockId}` shows it and a `DEVICE_CONFIG` webhook reports it."
)
E400 = (
    "smartlockId is not a valid int64, or the body is missing or not an object, a required "
    "field is missing, or a value has the wrong type or is out of range (`The supplied value "
    "'…' for parameter '…' is not valid`); nothing is queued."
)
E400_TYPE = E400 + " Also: the lock is not of the type this config is for."
DEVICE_ERRORS = {**LOCK_READ, 400: E400, 413: E413}

APPLIED = "Applied; the body is empty."

TAGS: list[dict[str, str]] = []


def _device_write(
    path: str, op_id: str, summary: str, text: str, part: str, body: str, e400: str = E400
) -> Operation:
    return Operation(
        "POST", f"{LOCK}{path}", op_id, TAG, summary, text + QUEUED,
        lambda api, c: api.write_config(
            c.ids["smartlockId"], config_parse.config_write(part, c.body)),
        scopes=SCOPES, body=Body(ref(body), "The values to write."),
        errors={**DEVICE_ERRORS, 400: e400},
    )  # fmt: skip


OPERATIONS: list[Operation] = [
    _device_write(
        "/config", "updateSmartlockConfig", "Update a smartlock config",
        "Write `Smartlock.Config`: name, position, time zone and the lock's settings (an "
        "omitted optional field keeps its value; read-only fields are ignored).",
        "settings", "SmartlockConfigUpdate",
    ),
    _device_write(
        "/advanced/config", "updateSmartlockAdvancedConfig", "Update a smartlock advanced config",
        "Write `Smartlock.AdvancedConfig` of a smart lock (an opener or a smart door is a 400: "
        "each has its own).",
        "advanced", "SmartlockAdvancedConfigUpdate", E400_TYPE,
    ),
    _device_write(
        "/advanced/openerconfig", "updateOpenerAdvancedConfig", "Update an opener advanced config",
        "Write `Smartlock.OpenerAdvancedConfig`; only for an opener (type 2), else 400.",
        "opener", "SmartlockOpenerAdvancedConfigUpdate", E400_TYPE,
    ),
    _device_write(
        "/advanced/smartdoorconfig", "updateSmartdoorAdvancedConfig",
        "Update a smartdoor advanced config",
        "Write `Smartlock.SmartdoorAdvancedConfig`; only for a smart door (type 3), else 400.",
        "smartdoor", "SmartlockSmartdoorAdvancedConfigUpdate", E400_TYPE,
    ),
    _device_write(
        "/admin/pin", "updateSmartlockAdminPin", "Update a smartlock admin PIN",
        "Give the lock a new admin PIN (0 to 9999); `adminPinState` stays 0 (ok).",
        "admin_pin", "SmartlockAdminPinUpdate",
    ),
    Operation(
        "POST", f"{LOCK}/web/config", "updateSmartlockWebConfig", TAG,
        "Update a smartlock web config",
        "Nuki Web's own settings for the lock (no device involved): applied at once and shown "
        "as `webConfig` by `GET /smartlock/{smartlockId}`. An omitted or null field keeps its "
        "value; `dismissedLiftUpHandleWarning: []` clears the list.",
        lambda api, c: api.write_web_config(
            c.ids["smartlockId"], config_parse.web_config(c.body)),
        scopes=SCOPES, body=Body(ref("SmartlockWebConfig"), "The web config to write."),
        reply_text=APPLIED, errors=DEVICE_ERRORS,
    ),
    Operation(
        "POST", "/bulk-web-config", "updateBulkWebConfig", TAG,
        "Update the web config for a group of smartlocks",
        "A web config per lock, applied at once. Every lock is checked first: one that does "
        "not exist (404) or belongs to another account (403) changes none.",
        lambda api, c: api.bulk_web_config(config_parse.bulk_web_config(c.body)),
        scopes=SCOPES, body=Body(ref("BulkWebConfigRequest"), "The locks and their web configs."),
        reply_text=APPLIED,
        errors={
            400: "The body is not a `BulkWebConfigRequest` or a value is not valid; nothing "
            "changes.",
            401: E401, 403: E403, 404: E404_LOCK, 413: E413,
        },
    ),
]  # fmt: skip
AREAS: list[Area] = []
COMPONENTS: tuple[type, ...] = (
    SmartlockOpenerAdvancedConfig,
    SmartlockSmartdoorAdvancedConfig,
    SmartlockWebConfig,
    *config_bodies.BODIES,
)
"""Named response shapes other schemas refer to (written open: Nuki may add fields)."""
