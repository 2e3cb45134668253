"""nuki_sim.adapters.codec: trait values as JSON, without HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from nuki_sim.adapters import codec
from nuki_sim.adapters.traits import (
    ActionStatus,
    ActionUpdated,
    PinCodeCredential,
    RecurringSchedule,
    StateSet,
    TemporarySchedule,
    TraitError,
    TraitErrorCode,
    TraitName,
)

BERLIN_WINTER = timezone(timedelta(hours=1))
AT = datetime(2026, 1, 5, 9, 0, 0, 123_999, tzinfo=UTC)
CREDENTIAL = PinCodeCredential(
    id="abc",
    pin_code="345678",
    name="Guest",
    always_active=False,
    temporary_schedules=(TemporarySchedule(AT, AT + timedelta(days=4)),),
    recurring_schedules=(RecurringSchedule("RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8", 60),),
)


def test_instants_are_utc_with_milliseconds_and_z():
    assert codec.instant_json(AT) == "2026-01-05T09:00:00.123Z"
    assert (
        codec.instant_json(datetime(2026, 1, 5, 10, tzinfo=BERLIN_WINTER))
        == "2026-01-05T09:00:00.000Z"
    )
    assert codec.instant_json(datetime(2026, 1, 5, 9)) == "2026-01-05T09:00:00.000Z"  # naive is UTC
    assert codec.instant_from("2026-01-05T10:00:00+01:00") == datetime(2026, 1, 5, 9, tzinfo=UTC)
    with pytest.raises(codec.DecodeError):
        codec.instant_from("tomorrow")


def test_a_credential_round_trips():
    data = codec.credential_json(CREDENTIAL)
    assert data["temporarySchedules"] == [
        {"startDatetime": "2026-01-05T09:00:00.123Z", "endDatetime": "2026-01-09T09:00:00.123Z"}
    ]
    back = codec.credential_from(data)
    assert back.temporary_schedules[0].start == AT.replace(microsecond=123_000)
    assert back.recurring_schedules == CREDENTIAL.recurring_schedules
    assert (back.id, back.pin_code, back.name, back.always_active) == (
        "abc",
        "345678",
        "Guest",
        False,
    )
    with pytest.raises(codec.DecodeError):
        codec.credential_from({"pinCode": 345678, "name": "Guest"})


def test_events_are_yonomi_webhook_bodies():
    state = StateSet(
        "42", TraitName.BETA_PIN_CODE_CREDENTIALS, "pinCodeCredentials", [CREDENTIAL], AT
    )
    assert codec.event_json(7, state) == {
        "seq": 7,
        "type": "deviceEventSetState",
        "content": {
            "deviceId": "42",
            "actionId": None,
            "traitName": "BetaPinCodeCredentials",
            "traitInstance": "default",
            "fieldName": "pinCodeCredentials",
            "value": [codec.credential_json(CREDENTIAL)],
            "sampledAt": "2026-01-05T09:00:00.123Z",
        },
    }
    error = TraitError(TraitErrorCode.EXECUTION, "the motor is jammed", "jammed")
    updated = codec.event_json(8, ActionUpdated("42", "act_1", ActionStatus.FAILED, AT, error))
    assert updated["type"] == "deviceEventUpdateAction"
    assert updated["content"]["status"] == "FAILED"
    assert updated["content"]["error"] == {"code": "ExecutionError", "message": "the motor is jammed",
                                           "rule": "jammed"}  # fmt: skip


def test_values_without_a_json_form_are_refused():
    with pytest.raises(TypeError):
        codec.value_json(object())
