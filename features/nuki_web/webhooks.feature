@writes @control @webhooks
Feature: Webhooks that follow the sync, signed
  The seed tells integrators to wait for the webhook that follows Nuki's auto sync. Nuki signs
  every decentral webhook with HMAC-SHA256 of the body, keyed with the subscription's secret.

  Background:
    Given a lock "Front Door" with a keypad
    And I subscribe to DEVICE_AUTHS and DEVICE_STATUS webhooks

  @id:api.webhooks.auths-after-sync @must @profile-seed
  Scenario: DEVICE_AUTHS for a new code arrives only after the sync
    When I create the keypad code 345678 named "Guest" on "Front Door"
    And 1 minute passes
    Then no DEVICE_AUTHS webhook for 345678 has arrived
    When the daily sync of "Front Door" runs
    Then a DEVICE_AUTHS webhook for 345678 has arrived

  @id:api.webhooks.auths-at-change @must @profile-nuki-docs
  Scenario: DEVICE_AUTHS for a new code arrives once Nuki Web lists it, without a sync
    When I create the keypad code 345678 named "Guest" on "Front Door"
    Then no DEVICE_AUTHS webhook for 345678 has arrived
    When Nuki Web's propagation delay passes
    Then a DEVICE_AUTHS webhook for 345678 has arrived
    And "Front Door" lists the keypad code 345678 named "Guest"

  @id:api.webhooks.signed @should
  Scenario: Every webhook carries a valid X-Nuki-Signature-SHA256
    When I send unlock to "Front Door"
    And 1 minute passes
    Then a DEVICE_STATUS webhook has arrived
    And every webhook carries a valid signature

  @id:api.webhooks.offline-result @must
  Scenario: The outcome of an offline command arrives by webhook after the reconnect
    Given "Front Door" is offline
    When I create the keypad code 345678 named "Guest" on "Front Door"
    And 25 hours pass
    Then no DEVICE_AUTHS webhook for 345678 has arrived
    When "Front Door" comes back online
    Then a DEVICE_AUTHS webhook for 345678 has arrived
