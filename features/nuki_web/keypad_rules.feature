@writes @control
Feature: Keypad code rules at the API
  Nuki Web checks keypad codes before anything is queued: six digits, 1 to 9, not starting
  with 12, unique on the lock, names of at most 20 characters. A refused request changes
  nothing.

  Background:
    Given a lock "Front Door" with a keypad

  @id:api.rules.code-format @must
  Scenario Outline: A malformed keypad code is refused and nothing is queued
    When I create the keypad code <code> named "Guest" on "Front Door"
    Then the answer is 400
    And the answer has detailMessage "The supplied value '<code>' for parameter 'code' is not valid"
    And nothing is queued for "Front Door"

    Examples:
      | code    |
      | 34567   |
      | 3456789 |
      | 345078  |
      | 123456  |

  @id:api.rules.name-length @must
  Scenario: A keypad code name longer than 20 characters is refused with 422
    When I create the keypad code 345678 named "Housekeeping Cleaners" on "Front Door"
    Then the answer is 422
    And the answer is Nuki's Restlet body for 422
    And nothing is queued for "Front Door"

  @id:api.rules.duplicate @must
  Scenario: A code the cloud already lists is refused with 409
    Given "Front Door" lists the keypad code 345678
    When I create the keypad code 345678 named "Other" on "Front Door"
    Then the answer is 409
    And nothing is queued for "Front Door"

  @id:api.rules.no-keypad @should
  Scenario: Keypad codes need a paired keypad
    Given a lock "Back Door" without a keypad
    When I create the keypad code 345678 named "Guest" on "Back Door"
    Then the answer is 400
    And the answer has detailMessage "The supplied value '13' for parameter 'type' is not valid"

  @id:api.rules.wrong-verb @should
  Scenario: Nuki's verbs are inverted, and a wrong verb is refused
    When I send POST to the authorizations of "Front Door"
    Then the answer is 405
