Feature: Schedules hold on the lock, at the lock's own local time
  The seed: set schedules on PIN codes. A schedule is right when the keypad obeys it, not when
  the implementation reads it back: a weekday mask built in the wrong order or a daily window
  computed in UTC reads back fine through the same code that wrote it. So these scenarios type
  the code on the lock's keypad just inside and just outside every edge of its schedule.
  Nuki keeps the weekday mask and the daily window in the lock's local time (the lock is in
  Europe/Berlin, an hour ahead of UTC in winter and two in summer) and the date window in UTC.
  Time starts on Monday 2026-01-05 at 10:00 in Berlin.

  Background:
    Given a lock "Front Door" with a keypad
    And the integration under test is running

  @id:traits.schedules.weekdays @must
  Scenario: A code for Fridays and Saturdays opens from local midnight to local midnight
    When I create a PIN code "345678" named "Weekend" on "Front Door" every "FR,SA" from 00:00 for 1440 minutes
    And the local time at "Front Door" is Thursday 23:59:59
    Then the PIN code "345678" is refused by the schedule of "Front Door"
    When the local time at "Front Door" is Friday 00:00
    Then the PIN code "345678" opens "Front Door"
    When the local time at "Front Door" is Saturday 23:59
    Then the PIN code "345678" opens "Front Door"
    When the local time at "Front Door" is Sunday 00:00
    Then the PIN code "345678" is refused by the schedule of "Front Door"

  @id:traits.schedules.daily-window @must
  Scenario: A daily window opens from its first minute to its last, in the lock's local time
    When I create a PIN code "345678" named "Cleaner" on "Front Door" every "MO,TU,WE,TH,FR" from 08:00 for 120 minutes
    And the local time at "Front Door" is Tuesday 07:59:59
    Then the PIN code "345678" is refused by the schedule of "Front Door"
    When the local time at "Front Door" is Tuesday 08:00
    Then the PIN code "345678" opens "Front Door"
    When the local time at "Front Door" is Tuesday 09:59
    Then the PIN code "345678" opens "Front Door"
    When the local time at "Front Door" is Tuesday 10:00
    Then the PIN code "345678" is refused by the schedule of "Front Door"

  @id:traits.schedules.summer-time @must
  Scenario: A daily window set on the first day of summer time opens at its local hours
    When the local time at "Front Door" is 2026-03-29 06:00
    And I create a PIN code "345678" named "Cleaner" on "Front Door" every "SU,MO" from 08:00 for 120 minutes
    And the local time at "Front Door" is 07:59:59
    Then the PIN code "345678" is refused by the schedule of "Front Door"
    When the local time at "Front Door" is 08:00
    Then the PIN code "345678" opens "Front Door"
    When the local time at "Front Door" is 09:59
    Then the PIN code "345678" opens "Front Door"
    When the local time at "Front Door" is 10:00
    Then the PIN code "345678" is refused by the schedule of "Front Door"

  @id:traits.schedules.date-window @must
  Scenario: A temporary schedule opens from its first second to its last, in UTC
    When I create a PIN code "345678" named "Guest" on "Front Door" valid from 2026-01-06T08:00:00Z to 2026-01-07T18:00:00Z
    And the time is 2026-01-06T07:59:59Z
    Then the PIN code "345678" is refused by the schedule of "Front Door"
    When the time is 2026-01-06T08:00:00Z
    Then the PIN code "345678" opens "Front Door"
    When the time is 2026-01-07T17:59:00Z
    Then the PIN code "345678" opens "Front Door"
    When the time is 2026-01-07T18:00:00Z
    Then the PIN code "345678" is refused by the schedule of "Front Door"

  @id:traits.schedules.rename-keeps-window @must
  Scenario: Renaming a scheduled code keeps its schedule in force on the lock
    Nuki's update replaces every time field: an update that leaves them out clears the
    window, so an implementation that sends only what changed silently opens the code.

    When I create a PIN code "345678" named "Cleaner" on "Front Door" every "MO,TU,WE,TH,FR,SA,SU" from 08:00 for 120 minutes
    And the daily sync of "Front Door" runs
    Then the action is resolved
    When I rename the PIN code "345678" on "Front Door" to "Window cleaner"
    And 1 minute passes
    And the local time at "Front Door" is 07:59:59
    Then the PIN code "345678" is refused by the schedule of "Front Door"
    When the local time at "Front Door" is 08:00
    Then the PIN code "345678" opens "Front Door"
    When the daily sync of "Front Door" runs
    Then the action is resolved
    And "Front Door" reports the PIN code "345678" named "Window cleaner"
    And "Front Door" reports the PIN code "345678" recurring every "MO,TU,WE,TH,FR,SA,SU" from 08:00 for 120 minutes

  @id:traits.schedules.rename-keeps-weekdays @must
  Scenario: Renaming a Saturday code keeps it to Saturdays on the lock
    An update carries the weekday mask again: built wrong only on the update path, the code
    moves to another day while the create path was right.

    When I create a PIN code "345678" named "Saturday" on "Front Door" every "SA" from 00:00 for 1440 minutes
    And the daily sync of "Front Door" runs
    Then the action is resolved
    When I rename the PIN code "345678" on "Front Door" to "Saturday guest"
    And the daily sync of "Front Door" runs
    Then the action is resolved
    When the local time at "Front Door" is Saturday 12:00
    Then the PIN code "345678" opens "Front Door"
    When the local time at "Front Door" is Sunday 12:00
    Then the PIN code "345678" is refused by the schedule of "Front Door"
