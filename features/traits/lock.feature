Feature: Lock, battery and connectivity
  The seed: lock and unlock, view the battery percentage, view the connectivity.

  Background:
    Given a lock "Front Door" with a keypad
    And the integration under test is running

  @id:traits.lock.unlock @must
  Scenario: Unlocking resolves when the lock reports it is unlocked
    When I unlock "Front Door"
    Then the action is pending
    When 1 minute passes
    Then "Front Door" reports isLocked false
    And the action is resolved

  @id:traits.lock.lock @must
  Scenario: Locking resolves when the lock reports it is locked
    Given "Front Door" is unlocked
    When I lock "Front Door"
    And 1 minute passes
    Then "Front Door" reports isLocked true
    And the action is resolved

  @id:traits.lock.jammed @should
  Scenario: A jammed motor fails the action and reports isJammed
    Given the motor of "Front Door" is jammed
    When I unlock "Front Door"
    And 1 minute passes
    Then the action failed
    And "Front Door" reports isJammed true

  @id:traits.lock.offline-action @should
  Scenario: A lock action to an offline lock resolves after the reconnect
    Given "Front Door" is offline
    When I unlock "Front Door"
    And 2 hours pass
    Then the action is pending
    When "Front Door" comes back online
    And 1 minute passes
    Then "Front Door" reports isLocked false
    And the action is resolved

  @id:traits.battery.levels @must
  Scenario Outline: The battery percentage and status follow the lock
    When the battery of "Front Door" drops to <charge> percent
    Then "Front Door" reports battery <charge> percent with status <status>

    Examples:
      | charge | status   |
      | 80     | NORMAL   |
      | 25     | LOW      |
      | 15     | CRITICAL |

  @id:traits.battery.thresholds @must
  Scenario Outline: Each battery threshold holds on both of its sides
    LOW starts below 30 percent; CRITICAL follows Nuki's batteryCritical flag, which the lock
    raises below 20 percent.

    When the battery of "Front Door" drops to <charge> percent
    Then "Front Door" reports battery <charge> percent with status <status>

    Examples:
      | charge | status   |
      | 30     | NORMAL   |
      | 29     | LOW      |
      | 20     | LOW      |
      | 19     | CRITICAL |

  @id:traits.connectivity.offline-online @must
  Scenario: Connectivity follows the lock going offline and back online
    When "Front Door" goes offline
    Then "Front Door" reports connectivity OFFLINE
    When "Front Door" comes back online
    Then "Front Door" reports connectivity ONLINE

  @id:traits.actions.timeout @should @adapter_clock
  Scenario: An action that Nuki never settles ends in TIMEOUT
    Given "Front Door" is offline
    When I create a PIN code "345678" named "Guest" on "Front Door"
    And 3 days pass
    Then the action timed out
