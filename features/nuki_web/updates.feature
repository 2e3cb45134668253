@writes @control
Feature: Keypad code rules hold for updates too
  The seed's rules are about every code on the lock, not about the create call: an update
  (POST /smartlock/{id}/auth/{authId}) to a malformed code or a name over 20 characters is
  refused like a create, and nothing changes. Names are counted in characters, not in UTF-8
  bytes, so a 20-character name with umlauts is accepted on create and on update.

  Background:
    Given a lock "Front Door" with a keypad

  @id:api.rules.update-code-format @must
  Scenario Outline: An update to a malformed keypad code is refused and nothing changes
    Given "Front Door" lists the keypad code 345678
    When I change the keypad code 345678 of "Front Door" to <code>
    Then the answer is 400
    And the answer has detailMessage "The supplied value '<code>' for parameter 'code' is not valid"
    And nothing is queued for "Front Door"
    When 1 minute passes
    Then the keypad of "Front Door" accepts 345678

    Examples:
      | code    |
      | 34567   |
      | 3456789 |
      | 345078  |
      | 123456  |

  @id:api.rules.update-name-length @must
  Scenario: An update to a name longer than 20 characters is refused with 422
    Given "Front Door" lists the keypad code 345678
    When I rename the keypad code 345678 of "Front Door" to "Housekeeping Cleaners"
    Then the answer is 422
    And the answer is Nuki's Restlet body for 422
    And nothing is queued for "Front Door"

  @id:api.rules.name-characters @must
  Scenario: A 20-character name with umlauts is accepted on create and on update
    When I create the keypad code 345678 named "Jürgen Müller-Größer" on "Front Door"
    Then the answer is 204
    When 1 minute passes
    And I sync "Front Door"
    Then "Front Door" lists the keypad code 345678 named "Jürgen Müller-Größer"
    When I rename the keypad code 345678 of "Front Door" to "Bärbel Öztürk-Weißen"
    Then the answer is 204
    When 1 minute passes
    And I sync "Front Door"
    Then "Front Door" lists the keypad code 345678 named "Bärbel Öztürk-Weißen"

  @id:api.update.clears-time-window @should
  Scenario: An update without the time fields clears the code's time window
    Given "Front Door" lists the keypad code 345678 valid from "2026-01-06T08:00:00.000Z" to "2026-02-06T18:00:00.000Z"
    When I rename the keypad code 345678 of "Front Door" to "Renamed"
    Then the answer is 204
    When 1 minute passes
    And I sync "Front Door"
    Then "Front Door" lists the keypad code 345678 named "Renamed" without a time window
