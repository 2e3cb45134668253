Feature: Nuki locks as trait devices
  A Nuki Smart Lock 3.0 / 3.0 Pro is a device with four traits: Lock, BatteryLevel,
  BetaPinCodeCredentials and BetaConnectivity. The PIN code trait advertises Nuki's limits
  as properties, so a platform can check them before sending anything.

  Background:
    Given a lock "Front Door" with a keypad
    And the integration under test is running

  @id:traits.devices.four-traits @must
  Scenario: Every lock is a device with the four supported traits
    Then "Front Door" is a device with the traits Lock, BatteryLevel, BetaPinCodeCredentials and BetaConnectivity

  @id:traits.devices.pin-properties @must
  Scenario Outline: The PIN code trait advertises Nuki's limits
    Then the BetaPinCodeCredentials property <property> of "Front Door" is <value>

    Examples:
      | property                                         | value           |
      | maxNumberOfPinCodeCredentials                    | 100             |
      | supportedPinCodeRange                            | 6 to 6          |
      | supportedPinCodeCredentialNameRange              | 1 to 20         |
      | maxNumberOfTemporarySchedulesPerPinCodeCredential | 1              |
      | maxNumberOfRecurringSchedulesPerPinCodeCredential | 1              |
      | exclusiveSchedules                               | false           |

  @id:traits.devices.initial-state @must
  Scenario: A device reports its lock, battery and connectivity state from the start
    Then "Front Door" reports isLocked true
    And "Front Door" reports battery 100 percent with status NORMAL
    And "Front Door" reports connectivity ONLINE
