@writes @control
Feature: A request is applied once, even when its answer is lost
  When the connection breaks after Nuki Web applied a create, the client gets no answer but
  the code is on its way to the lock, exactly once. The simulator's fault "applied, then
  dropped" must behave so, or the trait suite could not tell a client that resends from one
  that does not.

  Background:
    Given a lock "Front Door" with a keypad

  @id:api.faults.applied-then-dropped @must
  Scenario: A create whose connection drops after it was applied reaches the lock once
    Given the next create on "Front Door" is applied and then its connection drops
    When I create the keypad code 345678 named "Guest" on "Front Door"
    Then no answer came
    And exactly one create was sent to "Front Door"
    When 1 minute passes
    Then the keypad of "Front Door" accepts 345678
    When the daily sync of "Front Door" runs
    Then Nuki Web lists the PIN code "345678" on "Front Door" once, without a failed copy
