"""The config shapes the opener, the smart door and the cloud add to ``Smartlock`` (Swagger
4.18.0 ``Smartlock.OpenerAdvancedConfig``, ``Smartlock.SmartdoorAdvancedConfig``,
``Smartlock.WebConfig``). Fields outside the Swagger's ``required`` lists are NotRequired.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, NotRequired, TypedDict

from nuki_sim.simulator.domain.describe import Doc, Raw

SOUND = Raw({"type": "integer", "enum": [0, 1, 2, 3]})
OPENER_BUTTON = (
    "0 none, 1 toggle RTO, 2 activate RTO, 3 deactivate RTO, 4 toggle CM, 5 activate CM, "
    "6 deactivate CM, 7 open"
)
LOCK_BUTTON = "0 none, 1 intelligent, 2 unlock, 3 lock, 4 unlatch, 5 lock 'n' go, 6 show status"


class SmartlockOpenerAdvancedConfig(TypedDict):
    """Smartlock.OpenerAdvancedConfig: an opener's intercom, electric strike, sound and \
button settings (type 2 only)."""

    intercomId: Annotated[int, Doc("Database id of the connected intercom (read-only).")]
    busModeSwitch: Annotated[
        int, Raw({"type": "integer", "enum": [0, 1]}), Doc("How data and analogue mode switch.")
    ]
    shortCircuitDuration: Annotated[int, Doc("Short circuit for bus mode switching, ms.")]
    electricStrikeDelay: Annotated[int, Doc("Delay before the electric strike, ms.")]
    randomElectricStrikeDelay: Annotated[bool, Doc("Random delay of 3000 to 7000 ms instead.")]
    electricStrikeDuration: Annotated[int, Doc("How long the electric strike is actuated, ms.")]
    disableRtoAfterRing: Annotated[bool, Doc("Whether ring to open ends after a ring.")]
    rtoTimeout: Annotated[int, Doc("Minutes after which ring to open ends by itself.")]
    doorbellSuppression: Annotated[
        int, Doc("Bitmask: 1 always, 2 while RTO is on, 4 while CM is on.", minimum=0, maximum=7)
    ]
    doorbellSuppressionDuration: Annotated[int, Doc("Doorbell suppression, ms.")]
    soundRing: Annotated[int, SOUND, Doc("Sound on ring: 0 none, 1-3 a sound.")]
    soundOpen: Annotated[int, SOUND, Doc("Sound on open: 0 none, 1-3 a sound.")]
    soundRto: Annotated[int, SOUND, Doc("Sound on ring to open: 0 none, 1-3 a sound.")]
    soundCm: Annotated[int, SOUND, Doc("Sound on continuous mode: 0 none, 1-3 a sound.")]
    soundConfirmation: Annotated[
        int, Raw({"type": "integer", "enum": [0, 1]}), Doc("0 no sound, 1 sound.")
    ]
    soundLevel: Annotated[int, Doc("The sound level.", minimum=0, maximum=255)]
    singleButtonPressAction: Annotated[
        int, Doc(f"Action on a single press: {OPENER_BUTTON}.", minimum=0, maximum=7)
    ]
    doubleButtonPressAction: Annotated[
        int, Doc(f"Action on a double press: {OPENER_BUTTON}.", minimum=0, maximum=7)
    ]
    batteryType: Annotated[
        int, Doc("0 alkali, 1 accumulator, 2 lithium, 3 fixed.", minimum=0, maximum=3)
    ]
    automaticBatteryTypeDetection: NotRequired[
        Annotated[bool, Doc("Whether the battery type is detected.")]
    ]
    autoUpdateEnabled: NotRequired[
        Annotated[bool, Doc("Whether firmware updates install automatically.")]
    ]


class SmartlockSmartdoorAdvancedConfig(TypedDict):
    """Smartlock.SmartdoorAdvancedConfig: a smart door's settings (type 3 only)."""

    lngTimeout: NotRequired[
        Annotated[
            int,
            Raw({"type": "integer", "enum": [5, 10, 15, 20, 30, 45, 60]}),
            Doc("Seconds lock 'n' go waits before it locks again."),
        ]
    ]
    singleButtonPressAction: NotRequired[
        Annotated[int, Doc(f"Action on a single press: {LOCK_BUTTON}.", minimum=0, maximum=6)]
    ]
    doubleButtonPressAction: NotRequired[
        Annotated[int, Doc(f"Action on a double press: {LOCK_BUTTON}.", minimum=0, maximum=6)]
    ]
    automaticBatteryTypeDetection: NotRequired[
        Annotated[bool, Doc("Whether the battery type is detected.")]
    ]
    unlatchDuration: NotRequired[
        Annotated[
            int,
            Raw({"type": "integer", "enum": [1, 3, 5, 7, 10, 15, 20, 30]}),
            Doc("Seconds the latch stays pulled after an unlatch."),
        ]
    ]
    buzzerVolume: NotRequired[
        Annotated[int, Raw({"type": "integer", "enum": [0, 1, 2]}), Doc("0 off, 1 low, 2 normal.")]
    ]
    supportedBatteryTypes: NotRequired[
        Annotated[list[int], Doc("Battery types the door takes (read-only).")]
    ]
    batteryType: Annotated[
        int,
        Raw({"type": "integer", "enum": [0, 1, 2, 3, 255]}),
        Doc("0 alkali, 1 accumulator, 2 lithium, 3 fixed, 255 unknown."),
    ]
    autoLockTimeout: NotRequired[
        Annotated[int, Doc("Seconds before it relocks; 0: no auto relock.", minimum=0)]
    ]
    autoLock: Annotated[bool, Doc("Whether the door locks itself after autoLockTimeout.")]


class SmartlockWebConfig(TypedDict):
    """Smartlock.WebConfig: Nuki Web's own settings for a lock (no device involved)."""

    batteryWarningPerMailEnabled: NotRequired[
        Annotated[bool, Doc("Whether a low battery is reported by e-mail.")]
    ]
    dismissedLiftUpHandleWarning: NotRequired[
        Annotated[list[int], Doc("Account ids that dismissed the lift-up handle warning.")]
    ]
