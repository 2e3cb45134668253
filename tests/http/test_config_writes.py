"""Config writes over real HTTP (Swagger 4.18.0): config, advanced config, opener and smart
door advanced config, admin PIN (queued for the lock, applied after the push delay) and the
web config and bulk web config (the cloud's own, applied at once). Every operation needs
``smartlock.config``; a bad body is a 400 that queues nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from nuki_sim.simulator.domain import devices
from nuki_sim.simulator.domain.config import SimConfig
from nuki_sim.simulator.domain.model import Lock, WriteConfig
from nuki_sim.simulator.http.server import RunningSimulator
from tests.client import ApiClient

PUSH_DELAY = timedelta(seconds=SimConfig().push_delay)
NOT_AUTHORIZED = "Your access token is not authorized"
UNKNOWN_LOCK = 999_999_999
BERLIN, TOKYO, NO_ZONE = 37, 29, 65535  # Nuki's timezoneId list

# Nuki's Smartlock.AdvancedConfig field names (Swagger 4.18.0), the misnamed one included.
ADVANCED_KEYS = {
    "lngTimeout", "singleButtonPressAction", "doubleButtonPressAction",
    "automaticBatteryTypeDetection", "unlatchDuration", "totalDegrees",
    "singleLockedPositionOffsetDegrees", "unlockedToLockedTransitionOffsetDegrees",
    "unlockedPositionOffsetDegrees", "lockedPositionOffsetDegrees", "detachedCylinder",
    "batteryType", "autoLock", "autoLockTimeout", "autoUpdateEnabled", "motorSpeed",
    "enableSlowSpeedDuringNightmode",
}  # fmt: skip
CONFIG = {
    "name": "Side Door",
    "latitude": 48.2,
    "longitude": 16.37,
    "timezoneId": TOKYO,
    "timezoneOffset": 0,
    "singleLock": True,
    "advertisingMode": 2,
    "ledBrightness": 5,
    "buttonEnabled": False,
}
ADVANCED = {
    "batteryType": 1,
    "lockedPositionOffsetDegrees": -45,
    "singleLockedPositionOffsetDegrees": -120,
    "unlockedPositionOffsetDegrees": 45,
    "unlockedToLockedTransitionOffsetDegrees": 10,
    "lngTimeout": 30,
    "unlatchDuration": 5,
    "motorSpeed": 2,
}
OPENER_CONFIG = {
    "shortCircuitDuration": 10, "electricStrikeDelay": 200, "randomElectricStrikeDelay": True,
    "electricStrikeDuration": 2000, "disableRtoAfterRing": False, "rtoTimeout": 30,
    "doorbellSuppression": 5, "doorbellSuppressionDuration": 800, "soundRing": 2,
    "soundOpen": 3, "soundRto": 0, "soundCm": 1, "soundConfirmation": 0, "soundLevel": 100,
    "singleButtonPressAction": 7, "doubleButtonPressAction": 6, "batteryType": 3,
}  # fmt: skip
SMARTDOOR_CONFIG = {"autoLock": True, "batteryType": 255, "autoLockTimeout": 60, "buzzerVolume": 1}


def invalid(parameter: str, value: object) -> str:
    return f"The supplied value '{value}' for parameter '{parameter}' is not valid"


def rendered(value: object) -> object:
    """A value as Nuki's message shows it (Java's null, true, false)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def path(lock: Lock | int, tail: str) -> str:
    lock_id = lock if isinstance(lock, int) else lock.smartlock_id
    return f"/smartlock/{lock_id}{tail}"


async def shown(api: ApiClient, lock: Lock) -> dict[str, Any]:
    reply = await api.get(path(lock, ""))
    assert reply.status == 200, reply.body
    return dict(reply.body)


def applied(nuki_sim: RunningSimulator) -> None:
    nuki_sim.world.advance(PUSH_DELAY)


def other_lock(nuki_sim: RunningSimulator) -> Lock:
    other = nuki_sim.world.add_account(email="someone@example.com", name="Someone")
    return nuki_sim.world.add_lock(other.account_id, name="Their Door")


DEVICE_WRITES = [
    ("/config", CONFIG),
    ("/advanced/config", ADVANCED),
    ("/admin/pin", {"adminPin": 4321}),
]


class TestConfig:
    async def test_config_is_applied_after_the_push_delay(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        before = await shown(api, bare_lock)
        assert (await api.post(path(bare_lock, "/config"), CONFIG)).status == 204
        assert await shown(api, bare_lock) == before  # queued: the lock does not have it yet
        assert [type(c) for c in bare_lock.cloud.queue] == [WriteConfig]
        applied(nuki_sim)
        after = await shown(api, bare_lock)
        config = after["config"]
        assert {k: config[k] for k in CONFIG} == CONFIG
        assert after["name"] == "Side Door"
        assert config["pairingEnabled"] is before["config"]["pairingEnabled"]  # omitted: kept
        assert bare_lock.device.timezone == "Asia/Tokyo"
        assert config["timezoneId"] == TOKYO
        assert not bare_lock.cloud.queue

    async def test_timezone_65535_keeps_the_zone(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        bare_lock.device.timezone = "Europe/Berlin"
        body = {**CONFIG, "timezoneId": NO_ZONE}
        assert (await api.post(path(bare_lock, "/config"), body)).status == 204
        applied(nuki_sim)
        assert (await shown(api, bare_lock))["config"]["timezoneId"] == BERLIN
        assert bare_lock.device.timezone == "Europe/Berlin"

    @pytest.mark.parametrize(
        ("key", "value"),
        [
            ("name", None),  # required
            ("name", ""),
            ("name", "x" * 33),
            ("latitude", 91),
            ("latitude", "48.2"),
            ("timezoneId", 46),
            ("advertisingMode", 4),
            ("singleLock", 1),
            ("ledBrightness", 6),
            ("ledBrightness", True),
            ("homekitState", -1),
        ],
    )
    async def test_bad_config_is_400_and_queues_nothing(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock, key: str, value: Any
    ):
        body = {**CONFIG, key: value}
        if value is None:
            del body[key]
        reply = await api.post(path(bare_lock, "/config"), body)
        assert reply.status == 400
        assert reply.detail == invalid(key, rendered(value))
        assert not bare_lock.cloud.queue

    async def test_read_only_and_unknown_keys_are_ignored(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        """A client may post back what it read: read-only fields do not change."""
        read = (await shown(api, bare_lock))["config"]
        body = {**read, "keypadPaired": True, "deviceType": 2, "somethingNew": 1}
        assert (await api.post(path(bare_lock, "/config"), body)).status == 204
        applied(nuki_sim)
        assert (await shown(api, bare_lock))["config"] == read


class TestAdvancedConfig:
    async def test_advanced_config_is_applied_with_nukis_names(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        assert set((await shown(api, bare_lock))["advancedConfig"]) == ADVANCED_KEYS
        assert (await api.post(path(bare_lock, "/advanced/config"), ADVANCED)).status == 204
        applied(nuki_sim)
        advanced = (await shown(api, bare_lock))["advancedConfig"]
        assert {k: advanced[k] for k in ADVANCED} == ADVANCED
        assert advanced["totalDegrees"] == 900  # read-only, unchanged

    async def test_auto_lock_relocks_no_sooner_than_2_seconds(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        body = {**ADVANCED, "autoLock": True, "autoLockTimeout": 0}
        assert (await api.post(path(bare_lock, "/advanced/config"), body)).status == 204
        applied(nuki_sim)
        advanced = (await shown(api, bare_lock))["advancedConfig"]
        assert (advanced["autoLock"], advanced["autoLockTimeout"]) == (True, 2)

    @pytest.mark.parametrize(
        ("key", "value"),
        [("lngTimeout", 25), ("unlatchDuration", 2), ("batteryType", 3), ("motorSpeed", 3),
         ("singleButtonPressAction", 7), ("autoLockTimeout", -1), ("detachedCylinder", "no")],
    )  # fmt: skip
    async def test_value_outside_nukis_list_is_400(
        self, api: ApiClient, bare_lock: Lock, key: str, value: object
    ):
        reply = await api.post(path(bare_lock, "/advanced/config"), {**ADVANCED, key: value})
        assert (reply.status, reply.detail) == (400, invalid(key, rendered(value)))
        assert not bare_lock.cloud.queue

    async def test_an_opener_has_no_smart_lock_advanced_config(
        self, api: ApiClient, bare_lock: Lock
    ):
        as_model(bare_lock, "Opener")
        reply = await api.post(path(bare_lock, "/advanced/config"), ADVANCED)
        assert (reply.status, reply.detail) == (400, invalid("smartlockId", bare_lock.smartlock_id))
        assert not bare_lock.cloud.queue


def as_model(lock: Lock, name: str) -> None:
    """Make ``lock`` a ``name`` (a test's shortcut: a new lock of the model gets new ids)."""
    lock.model, lock.type = name, devices.MODELS[name].type


class TestOpenerAndSmartdoor:
    async def test_opener_config_is_applied_to_an_opener(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        as_model(bare_lock, "Opener")
        before = await shown(api, bare_lock)
        assert "advancedConfig" not in before
        tail = "/advanced/openerconfig"
        assert (await api.post(path(bare_lock, tail), OPENER_CONFIG)).status == 204
        applied(nuki_sim)
        opener = (await shown(api, bare_lock))["openerAdvancedConfig"]
        assert {k: opener[k] for k in OPENER_CONFIG} == OPENER_CONFIG

    async def test_smartdoor_config_is_applied_to_a_smart_door(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        as_model(bare_lock, "Smart Door")
        tail = "/advanced/smartdoorconfig"
        assert (await api.post(path(bare_lock, tail), SMARTDOOR_CONFIG)).status == 204
        applied(nuki_sim)
        door = (await shown(api, bare_lock))["smartdoorAdvancedConfig"]
        assert {k: door[k] for k in SMARTDOOR_CONFIG} == SMARTDOOR_CONFIG

    @pytest.mark.parametrize(
        ("tail", "body"),
        [
            ("/advanced/openerconfig", OPENER_CONFIG),
            ("/advanced/smartdoorconfig", SMARTDOOR_CONFIG),
        ],
    )
    async def test_wrong_device_type_is_400(
        self, api: ApiClient, bare_lock: Lock, tail: str, body: dict[str, Any]
    ):
        reply = await api.post(path(bare_lock, tail), body)  # a smart lock (type 4)
        assert (reply.status, reply.detail) == (400, invalid("smartlockId", bare_lock.smartlock_id))
        assert not bare_lock.cloud.queue

    async def test_opener_missing_required_field_is_400(self, api: ApiClient, bare_lock: Lock):
        as_model(bare_lock, "Opener")
        body = {k: v for k, v in OPENER_CONFIG.items() if k != "soundLevel"}
        reply = await api.post(path(bare_lock, "/advanced/openerconfig"), body)
        assert (reply.status, reply.detail) == (400, invalid("soundLevel", "null"))

    async def test_opener_sound_outside_0_to_3_is_400(self, api: ApiClient, bare_lock: Lock):
        as_model(bare_lock, "Opener")
        body = {**OPENER_CONFIG, "soundRing": 4}
        reply = await api.post(path(bare_lock, "/advanced/openerconfig"), body)
        assert (reply.status, reply.detail) == (400, invalid("soundRing", 4))


class TestAdminPin:
    async def test_the_device_gets_the_new_pin(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock
    ):
        assert (await api.post(path(bare_lock, "/admin/pin"), {"adminPin": 4321})).status == 204
        assert bare_lock.device.config.admin_pin is None
        applied(nuki_sim)
        assert bare_lock.device.config.admin_pin == bare_lock.cloud.config.admin_pin == 4321
        assert (await shown(api, bare_lock))["adminPinState"] == 0

    @pytest.mark.parametrize("pin", [10_000, -1, "1234", None])
    async def test_pin_outside_0_to_9999_is_400(self, api: ApiClient, bare_lock: Lock, pin: object):
        reply = await api.post(path(bare_lock, "/admin/pin"), {"adminPin": pin})
        assert (reply.status, reply.detail) == (400, invalid("adminPin", rendered(pin)))
        assert not bare_lock.cloud.queue


class TestWebConfig:
    async def test_web_config_is_applied_at_once(self, api: ApiClient, bare_lock: Lock):
        assert (await shown(api, bare_lock))["webConfig"] == {
            "batteryWarningPerMailEnabled": True,
            "dismissedLiftUpHandleWarning": [],
        }
        body = {"batteryWarningPerMailEnabled": False, "dismissedLiftUpHandleWarning": [7, 9]}
        assert (await api.post(path(bare_lock, "/web/config"), body)).status == 204
        assert (await shown(api, bare_lock))["webConfig"] == body
        assert not bare_lock.cloud.queue  # the cloud's own: nothing for the device
        # null / omitted keeps a field; [] clears the list
        keep = {"batteryWarningPerMailEnabled": None}
        assert (await api.post(path(bare_lock, "/web/config"), keep)).status == 204
        assert (await shown(api, bare_lock))["webConfig"] == body
        clear = {"dismissedLiftUpHandleWarning": []}
        assert (await api.post(path(bare_lock, "/web/config"), clear)).status == 204
        assert (await shown(api, bare_lock))["webConfig"]["dismissedLiftUpHandleWarning"] == []

    @pytest.mark.parametrize(
        "body",
        [{"batteryWarningPerMailEnabled": "yes"}, {"dismissedLiftUpHandleWarning": ["7"]},
         {"dismissedLiftUpHandleWarning": 7}, []],
    )  # fmt: skip
    async def test_bad_web_config_is_400_and_changes_nothing(
        self, api: ApiClient, bare_lock: Lock, body: Any
    ):
        before = (await shown(api, bare_lock))["webConfig"]
        assert (await api.post(path(bare_lock, "/web/config"), body)).status == 400
        assert (await shown(api, bare_lock))["webConfig"] == before


class TestBulkWebConfig:
    async def test_applies_to_each_lock(self, api: ApiClient, keypad_lock: Lock, bare_lock: Lock):
        body = {
            "webConfigRequests": [
                {"smartlockId": keypad_lock.smartlock_id,
                 "webConfig": {"batteryWarningPerMailEnabled": False}},
                {"smartlockId": bare_lock.smartlock_id,
                 "webConfig": {"dismissedLiftUpHandleWarning": [3]}},
            ]
        }  # fmt: skip
        assert (await api.post("/bulk-web-config", body)).status == 204
        first, second = (await shown(api, keypad_lock)), (await shown(api, bare_lock))
        assert first["webConfig"]["batteryWarningPerMailEnabled"] is False
        assert second["webConfig"] == {
            "batteryWarningPerMailEnabled": True,
            "dismissedLiftUpHandleWarning": [3],
        }

    @pytest.mark.parametrize(("bad", "status"), [("unknown", 404), ("other", 403)])
    async def test_a_bad_lock_changes_none(
        self,
        api: ApiClient,
        nuki_sim: RunningSimulator,
        keypad_lock: Lock,
        bad: str,
        status: int,
    ):
        bad_id = UNKNOWN_LOCK if bad == "unknown" else other_lock(nuki_sim).smartlock_id
        off = {"batteryWarningPerMailEnabled": False}
        body = {
            "webConfigRequests": [
                {"smartlockId": keypad_lock.smartlock_id, "webConfig": off},
                {"smartlockId": bad_id, "webConfig": off},
            ]
        }
        assert (await api.post("/bulk-web-config", body)).status == status
        assert keypad_lock.cloud.web_config.battery_warning_per_mail_enabled is True

    @pytest.mark.parametrize(
        "body",
        [{}, {"webConfigRequests": {}}, {"webConfigRequests": [{"webConfig": {}}]},
         {"webConfigRequests": [{"smartlockId": 1}]}],
    )  # fmt: skip
    async def test_bad_body_is_400(self, api: ApiClient, body: Any):
        assert (await api.post("/bulk-web-config", body)).status == 400


class TestAccess:
    @pytest.mark.parametrize(("tail", "body"), [*DEVICE_WRITES, ("/web/config", {})])
    async def test_missing_token_is_401(
        self, api: ApiClient, bare_lock: Lock, tail: str, body: dict[str, Any]
    ):
        reply = await api.with_token(None).post(path(bare_lock, tail), body)
        assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert not bare_lock.cloud.queue

    @pytest.mark.parametrize(("tail", "body"), [*DEVICE_WRITES, ("/web/config", {})])
    async def test_a_token_without_smartlock_config_is_401(
        self, api: ApiClient, nuki_sim: RunningSimulator, bare_lock: Lock, tail: str, body: Any
    ):
        everything_else = {"smartlock", "smartlock.action", "smartlock.auth", "account"}
        account = nuki_sim.demo.account.account_id
        token = nuki_sim.world.add_token(account, frozenset(everything_else)).token
        reply = await api.with_token(token).post(path(bare_lock, tail), body)
        assert (reply.status, reply.detail) == (401, NOT_AUTHORIZED)
        assert not bare_lock.cloud.queue

    async def test_bulk_without_token_is_401(self, api: ApiClient):
        reply = await api.with_token(None).post("/bulk-web-config", {"webConfigRequests": []})
        assert reply.status == 401

    @pytest.mark.parametrize(("tail", "body"), [*DEVICE_WRITES, ("/web/config", {})])
    async def test_unknown_lock_is_404(self, api: ApiClient, tail: str, body: dict[str, Any]):
        reply = await api.post(path(UNKNOWN_LOCK, tail), body)
        assert (reply.status, reply.detail) == (404, "Smartlock not found")

    @pytest.mark.parametrize(("tail", "body"), [*DEVICE_WRITES, ("/web/config", {})])
    async def test_other_accounts_lock_is_403(
        self, api: ApiClient, nuki_sim: RunningSimulator, tail: str, body: dict[str, Any]
    ):
        theirs = other_lock(nuki_sim)
        reply = await api.post(path(theirs, tail), body)
        assert (reply.status, reply.detail) == (403, "Forbidden")
        assert not theirs.cloud.queue

    async def test_non_object_body_is_400(self, api: ApiClient, bare_lock: Lock):
        for tail, _ in DEVICE_WRITES:
            assert (await api.post(path(bare_lock, tail), [1])).status == 400
        assert not bare_lock.cloud.queue
