Feature: The lock state comes from Nuki, not from the command
  Nuki answers a lock action with 204 before anything has moved; the motor then runs for a
  couple of seconds, and Nuki reports "unlocking" or "locking" while it does. An offline lock
  keeps the action queued until it reconnects. isLocked must follow what Nuki reports the lock
  has done, and the action resolves only once the lock has reached the state it asked for.

  Background:
    Given a lock "Front Door" with a keypad
    And the integration under test is running

  @id:traits.lock.state-from-nuki @must
  Scenario Outline: isLocked changes when the motor has finished, not when the command is sent
    Given "Front Door" is <before>
    When I <verb> "Front Door"
    Then "Front Door" reports isLocked <was>
    And the action is pending
    When the motor of "Front Door" starts moving
    Then "Front Door" reports isLocked <was>
    And the action is pending
    When the motor of "Front Door" stops
    Then "Front Door" reports isLocked <now>
    And the action is resolved
    And the events for the action came in the order queued, state set, resolved

    Examples:
      | before   | verb   | was   | now   |
      | locked   | unlock | true  | false |
      | unlocked | lock   | false | true  |

  @id:traits.lock.offline-state @must
  Scenario: An offline lock's state changes only once it has reconnected and moved
    Given "Front Door" is offline
    When I unlock "Front Door"
    And 2 hours pass
    Then "Front Door" reports isLocked true
    And the action is pending
    When "Front Door" comes back online
    Then "Front Door" reports isLocked true
    And the action is pending
    When the motor of "Front Door" stops
    Then "Front Door" reports isLocked false
    And the action is resolved
    And the events for the action came in the order queued, state set, resolved
