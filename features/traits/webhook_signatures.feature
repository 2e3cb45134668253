Feature: Only webhooks that Nuki signed change what is reported
  Nuki Web signs every decentral webhook with X-Nuki-Signature-SHA256, the HMAC-SHA256 of
  the raw body under the subscription's secret. Anyone who learns the webhook URL can POST
  to it: an integration that believes an unsigned, forged or tampered DEVICE_STATUS reports
  a lock as unlocked, or its battery as failing, when neither is true.

  Background:
    Given a lock "Front Door" with a keypad
    And the integration under test is running

  @id:traits.webhooks.signature @must
  Scenario Outline: A DEVICE_STATUS with <signature> changes nothing, the same one signed does
    When someone posts a DEVICE_STATUS for "Front Door" showing it unlocked at 5 percent battery, <signature>
    Then nothing that "Front Door" reports has changed
    And "Front Door" reports isLocked true
    When the same DEVICE_STATUS is posted with a valid signature
    Then "Front Door" reports isLocked false
    And "Front Door" reports battery 5 percent with status CRITICAL

    Examples:
      | signature                                   |
      | no signature                                |
      | a signature made with the wrong secret      |
      | the valid signature of a different body     |
