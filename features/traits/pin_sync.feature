Feature: PIN codes are done only when Nuki's sync says so
  The seed: Nuki Web syncs PIN codes once a day. A new code works on the lock at once but is
  not visible through the API until the next sync, so a platform must wait for the state
  update that follows Nuki's auto sync. Commands to an offline lock are accepted and queued,
  and a result event follows once Nuki has processed them.
  Nuki's docs describe a faster cloud (the nuki-docs profile): a change is listed, and
  DEVICE_AUTHS sent, shortly after the lock applied it. Either way the action resolves on
  Nuki's report, never on the answer to the request.

  Background:
    Given a lock "Front Door" with a keypad
    And the integration under test is running

  Rule: A new code works on the lock at once, but is reported only after the daily sync

    @id:traits.sync.create-pending @must @profile-seed
    Scenario: A created PIN code stays pending while it already opens the lock
      When I create a PIN code "345678" named "Guest" on "Front Door"
      Then the action is pending
      And an action-queued event was sent for the action
      When 1 minute passes
      Then the PIN code "345678" opens "Front Door"
      But "Front Door" reports no PIN code "345678"
      And the action is pending

    @id:traits.sync.create-resolved @must
    Scenario: After the daily sync the code is reported, then the action resolves
      When I create a PIN code "345678" named "Guest" on "Front Door"
      And the daily sync of "Front Door" runs
      Then "Front Door" reports the PIN code "345678" named "Guest"
      And a state event for pinCodeCredentials of "Front Door" was sent for the action
      And the action is resolved
      And the events for the action came in the order queued, state set, resolved

    @id:traits.sync.schedule-reported @must
    Scenario: A code with both schedules is reported with both after the sync
      When I create a PIN code "345678" named "Cleaner" on "Front Door" valid from "2026-01-06T08:00:00Z" to "2026-02-06T18:00:00Z" and every "MO,WE,FR" from 08:00 for 120 minutes
      And the daily sync of "Front Door" runs
      Then the action is resolved
      And "Front Door" reports the PIN code "345678" with a temporary schedule from "2026-01-06T08:00:00Z" to "2026-02-06T18:00:00Z"
      And "Front Door" reports the PIN code "345678" recurring every "MO,WE,FR" from 08:00 for 120 minutes

  @profile-seed
  Rule: Updates and deletes behave the same way

    @id:traits.sync.update @should
    Scenario: An updated PIN code is reported only after the daily sync
      Given "Front Door" holds a PIN code "345678" named "Guest"
      When I change the PIN code "345678" on "Front Door" to "456789" named "Guest two"
      And 1 minute passes
      Then the PIN code "456789" opens "Front Door"
      And "Front Door" reports the PIN code "345678" named "Guest"
      And the action is pending
      When the daily sync of "Front Door" runs
      Then "Front Door" reports the PIN code "456789" named "Guest two"
      And the action is resolved

    @id:traits.sync.delete @should
    Scenario: A deleted PIN code stops working at once and disappears after the daily sync
      Given "Front Door" holds a PIN code "345678" named "Guest"
      When I delete the PIN code "345678" on "Front Door"
      And 1 minute passes
      Then the PIN code "345678" does not open "Front Door"
      And "Front Door" reports the PIN code "345678" named "Guest"
      When the daily sync of "Front Door" runs
      Then "Front Door" reports no PIN code "345678"
      And the action is resolved

  @profile-nuki-docs
  Rule: Under Nuki's docs a change is reported when Nuki Web lists it, minutes later, not a day

    @id:traits.sync.create-listed @must
    Scenario: A created PIN code resolves when Nuki Web lists it, without waiting for a sync
      When I create a PIN code "345678" named "Guest" on "Front Door"
      Then the action is pending
      And an action-queued event was sent for the action
      When 5 seconds pass
      Then the PIN code "345678" opens "Front Door"
      And the action is pending
      When Nuki Web's propagation delay passes
      Then "Front Door" reports the PIN code "345678" named "Guest"
      And a state event for pinCodeCredentials of "Front Door" was sent for the action
      And the action is resolved
      And the events for the action came in the order queued, state set, resolved

    @id:traits.sync.duplicate-refused @must
    Scenario: A code someone else has just created through Nuki Web is refused at once
      Given someone else created the PIN code "345678" on "Front Door" through Nuki Web
      When I create a PIN code "345678" named "Guest" on "Front Door"
      Then the action is rejected

    @id:traits.sync.update-listed @should
    Scenario: An updated PIN code is reported once Nuki Web lists the change
      Given "Front Door" holds a PIN code "345678" named "Guest"
      When I change the PIN code "345678" on "Front Door" to "456789" named "Guest two"
      And 5 seconds pass
      Then the PIN code "456789" opens "Front Door"
      When Nuki Web's propagation delay passes
      Then "Front Door" reports the PIN code "456789" named "Guest two"
      And the action is resolved

    @id:traits.sync.delete-listed @should
    Scenario: A deleted PIN code disappears once Nuki Web lists the change
      Given "Front Door" holds a PIN code "345678" named "Guest"
      When I delete the PIN code "345678" on "Front Door"
      And 5 seconds pass
      Then the PIN code "345678" does not open "Front Door"
      When Nuki Web's propagation delay passes
      Then "Front Door" reports no PIN code "345678"
      And the action is resolved

  Rule: Commands to an offline lock are queued, and their result follows the reconnect

    @id:traits.offline.create @must
    Scenario: A code created while the lock is offline resolves after it comes back online
      Given "Front Door" is offline
      When I create a PIN code "345678" named "Guest" on "Front Door"
      Then the action is pending
      When 25 hours pass
      Then the action is pending
      And "Front Door" reports no PIN code "345678"
      When "Front Door" comes back online
      Then "Front Door" reports the PIN code "345678" named "Guest"
      And the action is resolved

    @id:traits.offline.duplicate @must
    Scenario: A queued code that the lock refuses ends rejected with Nuki's reason
      Given "Front Door" is offline
      And someone else queued the PIN code "345678" on "Front Door" through Nuki Web
      When I create a PIN code "345678" named "Guest" on "Front Door"
      And "Front Door" comes back online
      Then the action is rejected
