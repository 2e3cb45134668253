@writes @control
Feature: 204 now, on the lock soon, listed after the sync
  Writes return 204 as soon as they are queued. An online lock receives them within seconds,
  so a new code opens the keypad, but GET /smartlock/{id}/auth lists it only after the
  lock's next sync. Offline locks keep commands queued until they reconnect.
  Under Nuki's docs (the nuki-docs profile) the cloud lists a change shortly after the lock
  applied it, and refuses a duplicate of a code it knows of, listed or still pending, at once.

  Background:
    Given a lock "Front Door" with a keypad

  @id:api.sync.create-invisible @must @profile-seed
  Scenario: A new code opens the keypad but is listed only after the daily sync
    When I create the keypad code 345678 named "Guest" on "Front Door"
    Then the answer is 204
    When 1 minute passes
    Then the keypad of "Front Door" accepts 345678
    And "Front Door" does not list the keypad code 345678
    When the daily sync of "Front Door" runs
    Then "Front Door" lists the keypad code 345678 named "Guest"

  @id:api.sync.manual @should
  Scenario: POST /sync lists the new code at once
    When I create the keypad code 345678 named "Guest" on "Front Door"
    And I sync "Front Door"
    Then the answer is 204
    And "Front Door" lists the keypad code 345678 named "Guest"

  @id:api.sync.delete-listed @should @profile-seed
  Scenario: A deleted code stops working at once but stays listed until the sync
    Given "Front Door" lists the keypad code 345678
    When I delete the keypad code 345678 of "Front Door"
    Then the answer is 204
    When 1 minute passes
    Then the keypad of "Front Door" refuses 345678
    And "Front Door" lists the keypad code 345678 named "Guest"
    When the daily sync of "Front Door" runs
    Then "Front Door" does not list the keypad code 345678

  @id:api.offline.queue @must
  Scenario: An offline lock accepts writes, queues them in order and applies them on reconnect
    Given "Front Door" is offline
    When I create the keypad code 345678 named "Guest" on "Front Door"
    Then the answer is 204
    And "Front Door" reports serverState 4
    When I create the keypad code 456789 named "Cleaner" on "Front Door"
    And 25 hours pass
    Then "Front Door" does not list the keypad code 345678
    And the keypad of "Front Door" refuses 345678
    When "Front Door" comes back online
    Then "Front Door" lists the keypad code 345678 named "Guest"
    And "Front Door" lists the keypad code 456789 named "Cleaner"

  @id:api.offline.duplicate @must @profile-seed
  Scenario: A duplicate the cloud could not see fails on the lock and is listed with an error
    Given "Front Door" is offline
    When I create the keypad code 345678 named "Guest" on "Front Door"
    And I create the keypad code 345678 named "Again" on "Front Door"
    Then the answer is 204
    When "Front Door" comes back online
    Then "Front Door" lists the keypad code 345678 named "Again" with an error

  @id:api.sync.create-listed @must @profile-nuki-docs
  Scenario: A new code opens the keypad at once and is listed after the propagation delay
    When I create the keypad code 345678 named "Guest" on "Front Door"
    Then the answer is 204
    And "Front Door" does not list the keypad code 345678
    When 5 seconds pass
    Then the keypad of "Front Door" accepts 345678
    When Nuki Web's propagation delay passes
    Then "Front Door" lists the keypad code 345678 named "Guest"

  @id:api.sync.delete-unlisted @should @profile-nuki-docs
  Scenario: A deleted code stops working at once and is unlisted after the propagation delay
    Given "Front Door" lists the keypad code 345678
    When I delete the keypad code 345678 of "Front Door"
    Then the answer is 204
    When 5 seconds pass
    Then the keypad of "Front Door" refuses 345678
    When Nuki Web's propagation delay passes
    Then "Front Door" does not list the keypad code 345678

  @id:api.rules.duplicate-pending @must @profile-nuki-docs
  Scenario: A duplicate of a code not listed yet is refused at once with 409
    When I create the keypad code 345678 named "Guest" on "Front Door"
    And I create the keypad code 345678 named "Again" on "Front Door"
    Then the answer is 409
    When Nuki Web's propagation delay passes
    Then "Front Door" lists the keypad code 345678 named "Guest"

  @id:api.offline.duplicate-refused @must @profile-nuki-docs
  Scenario: A duplicate of a code queued for an offline lock is refused at once with 409
    Given "Front Door" is offline
    When I create the keypad code 345678 named "Guest" on "Front Door"
    And I create the keypad code 345678 named "Again" on "Front Door"
    Then the answer is 409
    When "Front Door" comes back online
    Then "Front Door" lists the keypad code 345678 named "Guest"

  @id:api.actions.busy @should
  Scenario: Another action while one is running is refused with 423
    When I send unlock to "Front Door"
    And I send lock to "Front Door"
    Then the answer is 423
