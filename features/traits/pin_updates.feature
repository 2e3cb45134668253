Feature: PIN code rules hold for updates as they do for creates
  The seed's rules are facts about every code on the lock, not about the create call: a code
  changed with updatePinCodeCredential must pass each of them too (six ASCII digits from 1 to
  9, not starting with 12, unique, a name of at most 20 characters, one temporary and one
  recurring schedule). A change that breaks one is rejected at once and nothing is sent; a
  valid change works on the lock and is reported exactly as given after the sync.

  Background:
    Given a lock "Front Door" with a keypad
    And the integration under test is running
    And "Front Door" holds a PIN code "345678" named "Guest"

  @id:traits.updates.pin-format @must
  Scenario Outline: Changing a code to a malformed PIN code is rejected at once and never sent
    When I change the PIN code "345678" on "Front Door" to <pin> named "Guest"
    Then the action is rejected as invalid
    And nothing was sent to "Front Door"

    Examples:
      | pin        | why                    |
      | "45678"    | five digits            |
      | "4567891"  | seven digits           |
      | "456089"   | contains a 0           |
      | "456780"   | ends with a 0          |
      | "124567"   | starts with 12         |
      | "45abcd"   | not digits             |
      | " 456789"  | a space before it      |
      | "+456789"  | a plus sign            |
      | "４５６７８９" | full-width digits      |
      | "٤٥٦٧٨٩"   | Arabic-Indic digits    |
      | 456789     | a JSON number          |

  @id:traits.updates.name-length @must
  Scenario: Changing a code's name to 21 characters is rejected at once and never sent
    When I change the PIN code "345678" on "Front Door" to "345678" named "Housekeeping Cleaners"
    Then the action is rejected as invalid
    And nothing was sent to "Front Door"

  @id:traits.updates.unique @must
  Scenario: Changing a code to another code the lock holds is rejected at once
    Given "Front Door" holds a PIN code "456789" named "Other"
    When I change the PIN code "456789" on "Front Door" to "345678" named "Other"
    Then the action is rejected as invalid
    And nothing was sent to "Front Door"

  @id:traits.updates.schedules @must
  Scenario Outline: Changing a code to two schedules of one kind is rejected at once
    When I change the PIN code "345678" on "Front Door" to "345678" named "Guest" with 2 <kind> schedules
    Then the action is rejected as invalid
    And nothing was sent to "Front Door"

    Examples:
      | kind      |
      | temporary |
      | recurring |

  @id:traits.updates.valid @must
  Scenario: A valid change works on the lock at once and is reported exactly after the sync
    When I change the PIN code "345678" on "Front Door" to "456789" named "Müller Größe Küchenß"
    Then the action is pending
    When 1 minute passes
    Then the PIN code "456789" opens "Front Door"
    And the PIN code "345678" does not open "Front Door"
    When the daily sync of "Front Door" runs
    Then "Front Door" reports the PIN code "456789" named "Müller Größe Küchenß"
    And the action is resolved
