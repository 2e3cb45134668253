Feature: PIN code rules are enforced before anything reaches the lock
  The seed: each device holds at most 100 PIN codes; codes are unique and have 6 digits;
  one schedule per code, which may be temporary and recurring at once; names have at most
  20 characters; codes cannot include 0 and cannot start with 12. A code that breaks a rule
  is rejected at once, and nothing is sent to the lock.

  Background:
    Given a lock "Front Door" with a keypad
    And the integration under test is running

  Rule: A PIN code has exactly six digits from 1 to 9 and does not start with 12

    @id:traits.rules.pin-format @must
    Scenario Outline: A malformed PIN code is rejected at once and never sent
      When I create a PIN code "<pin>" named "Guest" on "Front Door"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

      Examples:
        | pin      | why                    |
        | 34567    | five digits            |
        | 3456789  | seven digits           |
        | 345078   | contains a 0           |
        | 123456   | starts with 12         |
        | 12abcd   | not digits             |
        | 34 567   | a space                |

    @id:traits.rules.pin-valid @must
    Scenario Outline: A well-formed PIN code is accepted
      When I create a PIN code "<pin>" named "Guest" on "Front Door"
      Then the action is pending

      Examples:
        | pin    |
        | 345678 |
        | 999999 |
        | 213456 |

  Rule: Names have at most 20 characters

    @id:traits.rules.name-length @must
    Scenario: A name of 21 characters is rejected at once and never sent
      When I create a PIN code "345678" named "Housekeeping Cleaner" on "Front Door"
      Then the action is pending
      When I create a PIN code "456789" named "Housekeeping Cleaners" on "Front Door"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

  Rule: PIN codes are unique on a lock

    @id:traits.rules.unique @must
    Scenario: A second credential with the same code is rejected at once
      Given "Front Door" holds a PIN code "345678" named "Guest"
      When I create a PIN code "345678" named "Other" on "Front Door"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

  Rule: A lock holds at most 100 PIN codes

    @id:traits.rules.capacity @must
    Scenario: The 101st PIN code is rejected at once
      Given "Front Door" holds 100 PIN codes
      When I create a PIN code "999999" named "One too many" on "Front Door"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

  Rule: One schedule per code, which may be temporary and recurring at the same time

    @id:traits.rules.schedule-both @must
    Scenario: A code with one temporary and one recurring schedule is accepted
      When I create a PIN code "345678" named "Cleaner" on "Front Door" valid from "2026-01-06T08:00:00Z" to "2026-02-06T18:00:00Z" and every "MO,WE,FR" from 08:00 for 120 minutes
      Then the action is pending

    @id:traits.rules.schedule-two-temporary @must
    Scenario: A code with two temporary schedules is rejected at once
      When I create a PIN code "345678" named "Cleaner" on "Front Door" with 2 temporary schedules
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

    @id:traits.rules.schedule-two-recurring @must
    Scenario: A code with two recurring schedules is rejected at once
      When I create a PIN code "345678" named "Cleaner" on "Front Door" with 2 recurring schedules
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

    @id:traits.rules.rrule-unexpressible @should
    Scenario Outline: A recurring schedule Nuki cannot express is rejected, never approximated
      When I create a PIN code "345678" named "Cleaner" on "Front Door" recurring "<rrule>" for <minutes> minutes
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

      Examples:
        | rrule                                           | minutes |
        | RRULE:FREQ=DAILY;BYHOUR=8;BYMINUTE=0            | 60      |
        | RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO;BYHOUR=8  | 60      |
        | RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8,18          | 60      |
        | RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=22            | 180     |

  Rule: Six digits means six ASCII digits as given, never after trimming or converting

    @id:traits.rules.pin-lookalike @must
    Scenario Outline: A PIN code that only looks like six digits is rejected at once and never sent
      When I create a PIN code <pin> named "Guest" on "Front Door"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

      Examples:
        | pin        | why                                |
        | " 345678"  | a space before it                  |
        | "345678 "  | a space after it                   |
        | "+345678"  | a plus sign                        |
        | "0345678"  | seven digits, one a leading 0      |
        | "３４５６７８" | full-width digits                  |
        | "٣٤٥٦٧٨"   | Arabic-Indic digits                |
        | 345678     | a JSON number, not a string        |

  Rule: No digit of a PIN code is 0, wherever it stands

    @id:traits.rules.pin-zero-anywhere @must
    Scenario Outline: A 0 in any position is rejected at once and never sent
      When I create a PIN code "<pin>" named "Guest" on "Front Door"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

      Examples:
        | pin    |
        | 034567 |
        | 304567 |
        | 340567 |
        | 345067 |
        | 345607 |
        | 345670 |

  Rule: A name's limit counts characters, not bytes

    @id:traits.rules.name-characters @must
    Scenario: A 20-character name with umlauts is accepted, kept exactly, and its code works
      When I create a PIN code "345678" named "Müller Größe Küchenß" on "Front Door"
      Then the action is pending
      When 1 minute passes
      Then the PIN code "345678" opens "Front Door"
      When the daily sync of "Front Door" runs
      Then "Front Door" reports the PIN code "345678" named "Müller Größe Küchenß"
      And the action is resolved
      When I create a PIN code "456789" named "Müller Größe Küchenße" on "Front Door"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

  Rule: Capacity and uniqueness are facts about the lock, so codes still on their way count

    @id:traits.rules.capacity-pending @must
    Scenario: With 99 codes listed and one on its way, the next code is rejected at once
      Given "Front Door" holds 99 PIN codes
      When I create a PIN code "999999" named "The hundredth" on "Front Door"
      Then the action is pending
      When I create a PIN code "998877" named "One too many" on "Front Door"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

    @id:traits.rules.unique-pending @must
    Scenario: A code equal to one still on its way is rejected at once
      When I create a PIN code "345678" named "Guest" on "Front Door"
      Then the action is pending
      When I create a PIN code "345678" named "Other" on "Front Door"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

    @id:traits.rules.unique-pending-update @must
    Scenario: Changing a code to one still on its way is rejected at once
      Given "Front Door" holds a PIN code "456789" named "Other"
      When I create a PIN code "345678" named "Guest" on "Front Door"
      Then the action is pending
      When I change the PIN code "456789" on "Front Door" to "345678" named "Other"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"

    @id:traits.rules.unique-after-update @must
    Scenario: A code that a pending change is giving to another credential is rejected at once
      Given "Front Door" holds a PIN code "456789" named "Other"
      When I change the PIN code "456789" on "Front Door" to "345678" named "Other"
      Then the action is pending
      When I create a PIN code "345678" named "Guest" on "Front Door"
      Then the action is rejected as invalid
      And nothing was sent to "Front Door"
