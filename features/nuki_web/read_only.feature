@read_only
Feature: Reading locks, keypad codes and logs
  What every Nuki Web account answers, without changing anything: these scenarios can run
  against a real account with a read-only token.

  @id:api.read.smartlocks @must
  Scenario: The account lists its smart locks in Nuki's shape
    When I list the smart locks
    Then the answer is 200
    And every smart lock has smartlockId, accountId, type, authId, name, favorite, serverState and state

  @id:api.read.auths @must
  Scenario: Each lock lists its authorizations in Nuki's shape
    When I list the authorizations of every smart lock
    Then every answer is 200
    And every keypad code in them has a six-digit code and a name of at most 20 characters

  @id:api.read.logs @should
  Scenario: The activity log is newest first and at most 50 entries long
    When I read the activity log of every smart lock with limit 60
    Then every answer is 200
    And every log is newest first with at most 50 entries

  @id:api.read.unauthorized @must
  Scenario: A request without a valid token is refused with Nuki's 401 body
    When I list the smart locks with the token "not-a-token"
    Then the answer is 401
    And the answer has detailMessage "Your access token is not authorized"
