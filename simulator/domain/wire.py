"""Nuki Web's JSON shapes for domain values (``Smartlock``, ``SmartlockAuth``, ...).

Pure functions from values to dicts, each typed by the shape it builds
(:mod:`nuki_sim.simulator.domain.shapes`, where every field is declared and described once).
Field names, enum integers and the date format follow the fact sheet; absent optional
fields are omitted rather than sent as null, as the real service does.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from nuki_sim.simulator.domain import devices, model, user_shapes, webhooks
from nuki_sim.simulator.domain.account_store import EMPTY, AccountExtras
from nuki_sim.simulator.domain.clock import isoformat
from nuki_sim.simulator.domain.codes import AuthType, ServerState, timezone_id
from nuki_sim.simulator.domain.control_shapes import SimDelivery
from nuki_sim.simulator.domain.device_config import as_json
from nuki_sim.simulator.domain.model import Account, Auth, Lock, LockStatus, LogEntry
from nuki_sim.simulator.domain.shapes import (
    AccountConfig,
    DecentralWebhook,
    MyAccount,
    Smartlock,
    SmartlockAuth,
    SmartlockConfig,
    SmartlockLog,
    SmartlockState,
    WebhookLog,
)
from nuki_sim.simulator.domain.webhooks import EVENT_ID_HEADER, Attempt, Subscription, signatures

JSON = dict[str, Any]


def account(value: Account, extras: AccountExtras = EMPTY) -> MyAccount:
    """``MyAccount``; ``extras`` adds the profile, the pins and the OTP date where set."""
    reply: MyAccount = {
        "accountId": value.account_id,
        "type": value.type,
        "email": value.email,
        "emailVerified": True,
        "name": value.name,
        "language": value.language,
        "creationDate": isoformat(value.creation_date),
        "updateDate": isoformat(value.update_date or value.creation_date),
    }
    if value.master_account_id is not None:
        reply["masterAccountId"] = value.master_account_id
        reply["rights"] = value.rights
    otp = extras.otp
    enabled = otp.enabled if otp is not None else None
    if extras.alexa_pin is not None or extras.gactions_home_pin is not None or enabled:
        config: AccountConfig = {
            "alexaPin": extras.alexa_pin or "",
            "gactionsHomePin": extras.gactions_home_pin or "",
        }
        if enabled is not None:
            config["otpEnabledDate"] = isoformat(enabled)
        reply["config"] = config
    if extras.profile is not None:
        p = extras.profile
        reply["profile"] = {
            "firstName": p.first_name, "lastName": p.last_name, "address": p.address,
            "zip": p.zip, "city": p.city, "country": p.country,
        }  # fmt: skip
    return reply


def state(value: LockStatus) -> SmartlockState:
    return {
        "mode": int(value.mode),
        "state": int(value.state),
        "trigger": int(value.trigger),
        "lastAction": value.last_action,
        "batteryCritical": value.battery_critical,
        "batteryCharging": value.battery_charging,
        "batteryCharge": value.battery_charge,
        "keypadBatteryCritical": value.keypad_battery_critical,
        "doorsensorBatteryCritical": False,
        "doorState": int(value.door_state),
        "ringToOpenTimer": 0,
        "nightMode": value.night_mode,
    }


def server_state(lock: Lock) -> int:
    return int(ServerState.OK if lock.device.online else ServerState.OFFLINE)


def smartlock(lock: Lock) -> Smartlock:
    """``Smartlock`` as ``GET /smartlock/{id}`` shows it: the cloud's view of the lock."""
    body: JSON = {  # the advanced config's key depends on the lock type
        "smartlockId": lock.smartlock_id,
        "accountId": lock.account_id,
        "type": lock.type,
        "authId": lock.auth_id,
        "name": lock.name,
        "favorite": lock.favorite,
        "config": _config(lock),
        **_advanced(lock),
        "webConfig": as_json(lock.cloud.web_config),
        "state": state(lock.cloud.status),
        "firmwareVersion": lock.firmware_version,
        "hardwareVersion": lock.hardware_version,
        "serverState": server_state(lock),
        "adminPinState": 0,
        "virtualDevice": False,
        "creationDate": isoformat(lock.creation_date),
        "updateDate": isoformat(lock.update_date),
    }
    return body  # type: ignore[return-value]  # Smartlock, with one of three advanced keys


def _config(lock: Lock) -> SmartlockConfig:
    """``Smartlock.Config``: the settings the cloud last learned, with the lock's name,
    position, zone and the read-only facts (paired keypad, device type …)."""
    settings = lock.cloud.config.settings
    spec = devices.MODELS[lock.model]
    paired = lock.device.keypad_paired
    keypad2 = devices.KEYPADS[lock.device.keypad_model].keypad2
    return {
        "name": lock.name,
        "latitude": lock.latitude,
        "longitude": lock.longitude,
        "autoUnlatch": settings.auto_unlatch,
        "liftUpHandle": settings.lift_up_handle,
        "pairingEnabled": settings.pairing_enabled,
        "buttonEnabled": settings.button_enabled,
        "ledEnabled": settings.led_enabled,
        "ledBrightness": settings.led_brightness,
        "timezoneOffset": settings.timezone_offset,
        "daylightSavingMode": settings.daylight_saving_mode,
        "fobPaired": False,
        "fobAction1": 1,
        "fobAction2": 2,
        "fobAction3": 0,
        "singleLock": settings.single_lock,
        "advertisingMode": settings.advertising_mode,
        "keypadPaired": paired and not keypad2,
        "keypad2Paired": paired and keypad2,
        "homekitState": settings.homekit_state,
        "matterState": settings.matter_state,
        "timezoneId": timezone_id(lock.device.timezone),
        "deviceType": lock.type,
        "wifiEnabled": spec.wifi,
        "productVariant": lock.product_variant,
    }


ADVANCED_KEYS = {
    "advanced": "advancedConfig", "opener": "openerAdvancedConfig",
    "smartdoor": "smartdoorAdvancedConfig",
}  # fmt: skip
"""Where each model's advanced config shows (its ``DeviceModel.advanced`` part)."""


def _advanced(lock: Lock) -> JSON:
    part = devices.MODELS[lock.model].advanced
    return {ADVANCED_KEYS[part]: as_json(getattr(lock.cloud.config, part))}


def smartlock_auth(
    auth: Auth, *, operation_id: str | None = None, error: str | None = None
) -> SmartlockAuth:
    """``SmartlockAuth``. Keypad codes carry ``code`` in clear, as the real API returns it."""
    body: dict[str, Any] = {  # filled in the order Nuki sends the keys
        "id": auth.id,
        "smartlockId": auth.smartlock_id,
        "authId": auth.auth_id,
        "type": int(auth.type),
        "name": auth.name,
        "enabled": auth.enabled,
        "remoteAllowed": auth.remote_allowed,
        "lockCount": auth.lock_count,
        "creationDate": isoformat(auth.creation_date),
        "updateDate": isoformat(auth.update_date),
    }
    if auth.type == AuthType.KEYPAD_CODE and auth.code is not None:
        body["code"] = auth.code
    if auth.account_user_id is not None:
        body["accountUserId"] = auth.account_user_id
    schedule = auth.schedule
    if schedule.allowed_from_date is not None:
        body["allowedFromDate"] = isoformat(schedule.allowed_from_date)
    if schedule.allowed_until_date is not None:
        body["allowedUntilDate"] = isoformat(schedule.allowed_until_date)
    body["allowedWeekDays"] = (
        127 if schedule.allowed_week_days is None else schedule.allowed_week_days
    )
    body["allowedFromTime"] = schedule.allowed_from_time
    body["allowedUntilTime"] = schedule.allowed_until_time
    if auth.last_active_date is not None:
        body["lastActiveDate"] = isoformat(auth.last_active_date)
    if operation_id is not None:
        body["operationId"] = operation_id
    if error is not None:
        body["error"] = error
    return body  # type: ignore[return-value]  # built key by key, in Nuki's order


def smartlock_log(entry: LogEntry) -> SmartlockLog:
    body: SmartlockLog = {
        "id": entry.id,
        "smartlockId": entry.smartlock_id,
        "deviceType": entry.device_type,
        "authId": entry.auth_id,
        "name": entry.name,
        "action": entry.action,
        "trigger": entry.trigger,
        "state": entry.state,
        "autoUnlock": entry.auto_unlock,
        "date": isoformat(entry.date),
        "source": entry.source,
    }
    if entry.account_user_id is not None:
        body["accountUserId"] = entry.account_user_id
    return body


# --- webhook payloads (fact sheet §6.4; ``feature`` is added by the outbox) ---------------


def device_status(lock: Lock) -> JSON:
    """DEVICE_STATUS: the lock's state as the cloud now knows it, and its server state."""
    return {
        "smartlockId": lock.smartlock_id,
        "state": state(lock.cloud.status),
        "serverState": server_state(lock),
        "adminPinState": 0,
    }


def masterdata(lock: Lock, *, deleted: bool = False) -> JSON:
    """DEVICE_MASTERDATA: sent on a sync and when master data (name, favorite) change."""
    return {
        "deleted": deleted,
        "smartlockId": lock.smartlock_id,
        "accountId": lock.account_id,
        "type": lock.type,
        "authId": lock.auth_id,
        "name": lock.name,
        "favorite": lock.favorite,
        "firmwareVersion": lock.firmware_version,
        "hardwareVersion": lock.hardware_version,
        "serverState": server_state(lock),
        "adminPinState": 0,
        "creationDate": isoformat(lock.creation_date),
        "updateDate": isoformat(lock.update_date),
    }


def device_config(lock: Lock) -> JSON:
    """DEVICE_CONFIG: sent on a sync and when the lock applied a config write, with its config
    and its advanced config (under the key of its type, as in ``Smartlock``)."""
    return {"smartlockId": lock.smartlock_id, "config": _config(lock), **_advanced(lock)}


def decentral_webhook(sub: Subscription) -> DecentralWebhook:
    return {
        "id": sub.id,
        "secret": sub.secret,
        "webhookUrl": sub.url,
        "webhookFeatures": list(sub.features),
    }


def webhook_log(attempt: Attempt, secret: str | None = None, second: bool = False) -> WebhookLog:
    """``WebhookLog`` as Nuki documents it: ``response`` is the message *sent* (headers, the
    JSON payload, the full URL). ``secret``: the subscription's, to show the signature header
    (None once the subscription is gone); ``second``: the second one is sent too (a quirk)."""
    headers = {"Content-Type": "application/json; charset=UTF-8"}
    if secret is not None:
        headers.update(signatures(secret, attempt.body.encode("utf-8"), second))
    headers[EVENT_ID_HEADER] = str(attempt.seq)
    payload = json.loads(attempt.body)
    body: WebhookLog = {
        "id": attempt.id,
        "succeeded": attempt.succeeded,
        "responseStatus": attempt.status,
        "duration": attempt.duration_ms,
        "accountId": attempt.account_id,
        "response": {
            "headers": headers,
            "body": payload,
            "timestamp": isoformat(attempt.at),
            "path": attempt.url,
        },
        "apiKeyId": attempt.api_key_id,
        "created": isoformat(attempt.at),
        "updated": isoformat(attempt.at),
    }
    if isinstance(payload.get("requestId"), str):  # an API-triggered webhook
        body["requestId"] = payload["requestId"]
    return body


def sim_delivery(attempt: Attempt) -> SimDelivery:
    """One attempt for the control plane: which subscription, what was sent, what came back."""
    body: SimDelivery = {
        "id": attempt.id,
        "accountId": attempt.account_id,
        "apiKeyId": attempt.api_key_id,
        "webhookId": attempt.subscription_id,
        "succeeded": attempt.succeeded,
        "responseStatus": attempt.status,
        "duration": attempt.duration_ms,
        "request": {"url": attempt.url, "body": attempt.body},
        "response": {
            "body": attempt.response_body,
            "timestamp": isoformat(attempt.at),
            "path": urlsplit(attempt.url).path or "/",
        },
        "created": isoformat(attempt.at),
        "updated": isoformat(attempt.at),
    }
    if attempt.error:
        body["error"] = attempt.error
    request_id = webhooks.request_id_of(attempt.body)
    if request_id is not None:
        body["requestId"] = request_id
    return body


def account_user(user: model.AccountUser) -> user_shapes.AccountUser:
    body: user_shapes.AccountUser = {
        "accountUserId": user.account_user_id,
        "accountId": user.account_id,
        "type": user.type,
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "creationDate": isoformat(user.creation_date),
        "updateDate": isoformat(user.update_date or user.creation_date),
    }
    if user.operation_id is not None:
        body["operationId"] = user.operation_id
    return body
