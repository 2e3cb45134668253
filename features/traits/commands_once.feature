Feature: Commands are sent to Nuki once
  The seed: PIN codes must be unique, and a new code is not visible through the API until the
  next sync. An integration that re-sends a create it cannot see yet, or whose client repeats a
  create whose answer was lost, reaches Nuki twice: the lock refuses the second code as a
  duplicate, and the action may end as a failure although the code works. A create is sent
  once; what happened to it is learned from Nuki's report after the sync.

  Background:
    Given a lock "Front Door" with a keypad
    And the integration under test is running

  @id:traits.once.refresh @must @profile-seed
  Scenario: A pending create that the listing does not show yet is not sent again
    When I create a PIN code "345678" named "Guest" on "Front Door"
    And 1 hour passes
    And the integration under test refreshes
    Then exactly one create was sent to "Front Door"
    And the action is pending
    When the daily sync of "Front Door" runs
    Then Nuki Web lists the PIN code "345678" on "Front Door" once, without a failed copy
    And the action is resolved

  @id:traits.once.dropped-create @must
  Scenario: A create whose answer was lost is not repeated and resolves when Nuki reports it
    Given the next create on "Front Door" is applied and then its connection drops
    When I create a PIN code "345678" named "Guest" on "Front Door"
    Then exactly one create was sent to "Front Door"
    And the action is pending
    When 1 minute passes
    Then the PIN code "345678" opens "Front Door"
    When the daily sync of "Front Door" runs
    Then Nuki Web lists the PIN code "345678" on "Front Door" once, without a failed copy
    And "Front Door" reports the PIN code "345678" named "Guest"
    And the action is resolved

  @id:traits.once.refresh-listed @must @profile-nuki-docs
  Scenario: A pending create that Nuki Web has not listed yet is not sent again
    When I create a PIN code "345678" named "Guest" on "Front Door"
    And 5 seconds pass
    And the integration under test refreshes
    Then exactly one create was sent to "Front Door"
    And the action is pending
    When Nuki Web's propagation delay passes
    Then Nuki Web lists the PIN code "345678" on "Front Door" once, without a failed copy
    And the action is resolved
