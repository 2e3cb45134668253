"""alwaysActive and schedules must agree: a temporary code never silently becomes permanent."""

from __future__ import annotations

import pytest

from nuki_sim.adapters import inputs
from nuki_sim.adapters.nuki import rules
from nuki_sim.adapters.traits import PinCodeCredential

WINDOW = {"startDatetime": "2026-02-01T08:00:00Z", "endDatetime": "2026-02-03T18:00:00Z"}


def parse(**fields: object) -> PinCodeCredential:
    return inputs.credential({"pinCode": "345678", "name": "Guest", **fields}, need_id=False)


def test_without_alwaysactive_schedules_decide() -> None:
    """A credential that gives schedules but no alwaysActive is scheduled, not permanent."""
    credential = parse(temporarySchedules=[WINDOW])

    assert credential.always_active is False


def test_without_alwaysactive_or_schedules_the_code_is_permanent() -> None:
    """No schedules and no alwaysActive means always active."""
    assert parse().always_active is True


def test_always_active_with_a_schedule_is_a_contradiction() -> None:
    """alwaysActive true together with a schedule is rejected, naming the rule."""
    error = rules.check_credential(
        parse(alwaysActive=True, temporarySchedules=[WINDOW]), [], creating=True, known_count=0
    )

    assert error is not None
    assert error.rule == "always-active-with-schedule"


@pytest.mark.parametrize("always", [True, False])
def test_a_consistent_credential_passes(always: bool) -> None:
    """alwaysActive true without schedules, or false with one, passes the rules."""
    credential = parse(alwaysActive=always, temporarySchedules=[] if always else [WINDOW])

    assert rules.check_credential(credential, [], creating=True, known_count=0) is None
