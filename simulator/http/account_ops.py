"""Nuki Web's operations for account settings, sub-accounts, integrations, one-time passwords, e-mail and password flows (Swagger 4.18.0).

Joined into the API by :mod:`nuki_sim.simulator.http.openapi`: ``OPERATIONS`` go into the
Nuki area (a Nuki token, scopes checked by the table, path ids of ``params.NUKI_PATH``);
``AREAS`` are areas of their own: the sub-account routes (their own ``accountId``) and the
password reset, which Nuki secures with an application API key instead of a user's token.
Every operation but the password reset needs the ``account`` scope, as in the Swagger.
"""

from __future__ import annotations

from aiohttp import web

from nuki_sim.simulator.domain import account_calls, account_wire, wire
from nuki_sim.simulator.domain.account_shapes import COMPONENTS as SHAPES
from nuki_sim.simulator.domain.account_shapes import Account, AccountIntegration, AccountSetting
from nuki_sim.simulator.domain.shapes import MyAccount
from nuki_sim.simulator.http import account_parse, nuki_ops
from nuki_sim.simulator.http.account_bodies import BODIES
from nuki_sim.simulator.http.keys import WORLD
from nuki_sim.simulator.http.nuki_ops import E400_BODY, E401, E413
from nuki_sim.simulator.http.operations import Area, Body, Operation, PathParam
from nuki_sim.simulator.http.params import DIGITS, path_int, query
from nuki_sim.simulator.http.schema import ref

TAG = "Account"
ACCOUNT = ("account",)
SUB = "/account/sub/{accountId}"
E400_ACCOUNT = (
    E400_BODY + " The e-mail address is not one, the name is empty or longer than 50 "
    "characters, the password shorter than 7, the language missing or not one of Nuki's, or a "
    "profile lacks one of its six fields."
)
E409 = "Another account has this e-mail address: `Email address already exists`."
E403_SUB = "The account is not a sub account of the token's account: `Forbidden`."
E404_SUB = "No such account: `Account not found`."
SUB_ERRORS = {400: "accountId is not a valid number.", 401: E401, 403: E403_SUB, 404: E404_SUB}

TAGS: list[dict[str, str]] = []  # the "Account" tag is the lock routes' already
OPERATIONS = [
    Operation(
        "POST", "/account", "updateAccount", TAG, "Update the account",
        "Change the token's account: name, e-mail, language (required, as in Nuki's "
        "AccountUpdate), the voice-assistant pins and the profile; omitted fields stay. A new "
        "`password` revokes every API token of the account, the calling one included, unless "
        "`deleteApiTokens=false`. `GET /account` shows the change.",
        lambda api, c: api.update_account(
            account_parse.account_change(c.body),
            delete_tokens=account_parse.flag(c.query, "deleteApiTokens", True),
        ),
        scopes=ACCOUNT, body=Body(ref("AccountUpdate"), "The changes."),
        query=[query("deleteApiTokens", {"type": "boolean", "default": True},
                     "If false, a password change keeps the account's API tokens.")],
        reply_text="Ok; the body is empty.",
        errors={400: E400_ACCOUNT, 401: E401, 409: E409, 413: E413},
    ),
    Operation(
        "DELETE", "/account", "deleteAccount", TAG, "Delete the account",
        "Delete the token's account at once, with its sub accounts and everything of theirs: "
        "locks, account users, API tokens (this one answers 401 from now on), decentral "
        "webhooks, linked services, settings.",
        lambda api, c: api.delete_account(),
        scopes=ACCOUNT, reply_text="Ok; the body is empty.", errors={401: E401},
    ),
    Operation(
        "POST", "/account/email/change", "changeAccountEmail", TAG,
        "Trigger the e-mail change verification e-mail",
        "Nuki mails a verification link to the new address and changes the address once it "
        "is followed. The simulator checks the address and answers 204; it sends no mail and "
        "the address stays (change it at once with `POST /account`).",
        lambda api, c: api.change_email(account_parse.email(c.body)),
        scopes=ACCOUNT, body=Body(ref("AccountEmailChange"), "The new address."),
        reply_text="Ok; the body is empty.",
        errors={400: E400_BODY + " The e-mail address is not one.", 401: E401, 409: E409,
                413: E413},
        effect="accepted",
    ),
    Operation(
        "POST", "/account/email/verify", "verifyAccountEmail", TAG,
        "Trigger the e-mail verification e-mail",
        "Nuki sends the verification mail again. The simulator sends none and answers 204 "
        "(its addresses count as verified).",
        lambda api, c: api.verify_email(),
        scopes=ACCOUNT, reply_text="Ok; the body is empty.", errors={401: E401},
        effect="accepted",
    ),
    Operation(
        "GET", "/account/integration", "listAccountIntegrations", TAG,
        "List the account's integrations",
        "Each API token of the account and of its sub accounts: `clientId` is its API key's "
        "id and `tokenId` the token's, the two query parameters of the delete.",
        lambda api, c: [account_wire.integration(t, s) for t, s in api.integrations()],
        scopes=ACCOUNT, reply=list[AccountIntegration], reply_text="The integrations.",
        errors={401: E401},
    ),
    Operation(
        "DELETE", "/account/integration", "deleteAccountIntegration", TAG,
        "Delete an integration",
        "Revoke every token of the API key `apiKeyId`, or just the token `tokenId`: they "
        "answer 401 from now on.",
        lambda api, c: api.delete_integration(account_parse.integration_target(c.query)),
        scopes=ACCOUNT, reply_text="Ok; the body is empty.",
        query=[
            query("apiKeyId", {"type": "integer", "format": "int64", "minimum": 0},
                  "The API key whose tokens to delete (all of them unless tokenId is given)."),
            query("tokenId", {"type": "integer", "format": "int64", "minimum": 0},
                  "The one token to delete (an integration's tokenId)."),
        ],
        errors={
            400: "Neither apiKeyId nor tokenId is given, or one is not a number.",
            401: E401,
            403: "The integration belongs to another account: `Forbidden`.",
            404: "No such integration: `Integration not found`.",
        },
    ),
    Operation(
        "PUT", "/account/otp", "createAccountOtp", TAG, "Create a one-time password secret",
        "A new base32 secret for an authenticator app (RFC 6238: six digits, 30 s, SHA-1), "
        "replacing one not yet enabled. One-time passwords are on only after `POST "
        "/account/otp` with a code of it.",
        lambda api, c: api.create_otp(),
        scopes=ACCOUNT, reply=str, reply_text="Ok: the secret (base32).",
        errors={401: E401, 405: "One-time passwords are already enabled."},
    ),
    Operation(
        "POST", "/account/otp", "enableAccountOtp", TAG, "Enable one-time passwords",
        "Enable them with the current code of the secret (the neighbouring 30 s are accepted "
        "for clock drift); `GET /account` then shows `config.otpEnabledDate`. A wrong code "
        "changes nothing but counts: after 5 wrong codes the secret answers 429 until a new "
        "one is created.",
        lambda api, c: api.enable_otp(account_parse.otp(c.body)),
        scopes=ACCOUNT, body=Body(ref("AccountOtpEnable"), "The code."),
        reply_text="Ok; the body is empty.",
        errors={
            400: "The code is empty (`One-time password empty`), not a string, or no secret "
            "was created yet.",
            401: E401 + " Or the code is wrong: `One-time password wrong`.",
            413: E413,
            429: "Too many wrong codes for this secret: `Too many failed attempts`.",
        },
    ),
    Operation(
        "DELETE", "/account/otp", "disableAccountOtp", TAG, "Disable one-time passwords",
        "Turn them off and forget the secret (204 also when they were off).",
        lambda api, c: api.disable_otp(),
        scopes=ACCOUNT, reply_text="Ok; the body is empty.", errors={401: E401},
    ),
    Operation(
        "GET", "/account/setting", "getAccountSetting", TAG, "Get the account's settings",
        "The settings as the last `PUT /account/setting` calls merged them; 404 before the "
        "first.",
        lambda api, c: account_wire.setting(api.setting()),
        scopes=ACCOUNT, reply=AccountSetting, reply_text="The settings.",
        errors={401: E401, 404: "No settings yet: `Account setting not found`."},
    ),
    Operation(
        "PUT", "/account/setting", "putAccountSetting", TAG,
        "Create or update the account's settings",
        "Merge into the settings: each `web` field given replaces the stored one, except "
        "`annotations`, which merge key by key (a key set to null is removed).",
        lambda api, c: account_wire.setting(api.put_setting(account_parse.setting(c.body))),
        scopes=ACCOUNT, body=Body(ref("AccountSetting"), "The settings to merge."),
        reply=AccountSetting, reply_text="The settings after the merge.",
        errors={
            400: E400_BODY + " A view or sort type is not one of Nuki's, an annotation key "
            "is not prefix/name, or a stale device is not one.",
            401: E401, 413: E413,
        },
    ),
    Operation(
        "DELETE", "/account/setting", "deleteAccountSetting", TAG,
        "Delete the account's settings",
        "Forget the settings (204 also when there were none); `GET` is 404 afterwards.",
        lambda api, c: api.delete_setting(),
        scopes=ACCOUNT, reply_text="Ok; the body is empty.", errors={401: E401},
    ),
    Operation(
        "GET", "/account/sub", "listSubAccounts", TAG, "List the sub accounts",
        "The token's account's sub accounts by id; `email` keeps those whose address matches "
        "the regular expression (case-insensitive, anywhere in the address; at most 64 characters and one repetition or alternation, so no pattern can stall the simulator). Nuki's Swagger "
        "declares a single Account here; the simulator answers the list its summary names.",
        lambda api, c: [wire.account(a) for a in api.sub_accounts(c.query.get("email"))],
        scopes=ACCOUNT, reply=list[Account], reply_text="The sub accounts.",
        query=[query("email", {"type": "string", "maxLength": account_calls.MAX_PATTERN},
                     "Only sub accounts whose address matches this regular expression.")],
        errors={400: "email is not a regular expression.", 401: E401},
    ),
    Operation(
        "PUT", "/account/sub", "createSubAccount", TAG, "Create a sub account",
        "A new account that belongs to the token's account (its `masterAccountId`), with the "
        "given rights; it has no tokens of its own.",
        lambda api, c: wire.account(
            api.create_sub_account(account_parse.sub_account_create(c.body))
        ),
        scopes=ACCOUNT, body=Body(ref("AccountSubCreate"), "The sub account."),
        reply=MyAccount, reply_text="Ok: the sub account.",
        errors={400: E400_ACCOUNT + " Or rights is not 0 to 31.", 401: E401, 409: E409,
                413: E413},
    ),
]  # fmt: skip

SUB_OPERATIONS = [
    Operation(
        "GET", SUB, "getSubAccount", TAG, "Get a sub account", "One sub account of the token's.",
        lambda api, c: wire.account(api.sub_account(c.ids["accountId"])),
        scopes=ACCOUNT, reply=Account, reply_text="The sub account.", errors=SUB_ERRORS,
    ),
    Operation(
        "POST", SUB, "updateSubAccount", TAG, "Update a sub account",
        "Change a sub account's name, e-mail, password, rights (0 to 127), language "
        "(required), pins or profile; omitted fields stay.",
        lambda api, c: api.update_sub_account(
            c.ids["accountId"], account_parse.account_change(c.body, sub=True)
        ),
        scopes=ACCOUNT, body=Body(ref("AccountSubUpdate"), "The changes."),
        reply_text="Ok; the body is empty.",
        errors={**SUB_ERRORS, 400: E400_ACCOUNT + " Or rights is not 0 to 127.", 409: E409,
                413: E413},
    ),
    Operation(
        "DELETE", SUB, "deleteSubAccount", TAG, "Delete a sub account",
        "Delete the sub account and everything of it (as `DELETE /account` does for the "
        "account itself).",
        lambda api, c: api.delete_sub_account(c.ids["accountId"]),
        scopes=ACCOUNT, reply_text="Ok; the body is empty.", errors=SUB_ERRORS,
    ),
]  # fmt: skip


def _password_reset(request: web.Request, call: object) -> None:
    body = getattr(call, "body")  # noqa: B009 (the Call of operations.py)
    account_calls.password_reset(request.app[WORLD], account_parse.password_reset(body))


RESET_OPERATIONS = [
    Operation(
        "POST", "/account/password/reset", "resetAccountPassword", TAG,
        "Reset the account's password",
        "For a caller who cannot log in: Nuki secures this route with an application API key "
        "(`api_key`, a scheme its Swagger does not define) instead of a user's token. The "
        "simulator needs no token and ignores any `Authorization`; it checks the address and "
        "answers 204 whether or not an account has it (as a reset should, to reveal nothing), "
        "and changes nothing: the reset itself happens through the link Nuki mails.",
        _password_reset,
        body=Body(ref("AccountPasswordReset"), "Whose password."),
        reply_text="Ok; the body is empty.",
        errors={400: E400_BODY + " The e-mail address is not one.", 413: E413},
        effect="accepted",
    ),
]  # fmt: skip

SUB_AREA = Area(
    operations=SUB_OPERATIONS,
    params={"accountId": PathParam(DIGITS, lambda text: path_int(text, "accountId"))},
    caller=nuki_ops.session,
    allow=nuki_ops.allow,
    security=lambda op: [{"bearerAuth": [scope]} for scope in op.scopes],
    catch_up=True,
)
RESET_AREA = Area(
    operations=RESET_OPERATIONS,
    params={},
    caller=lambda request: request,
    allow=lambda caller, scopes: None,
    security=lambda op: [],
    catch_up=True,
)
AREAS: list[Area] = [SUB_AREA, RESET_AREA]
COMPONENTS: tuple[type, ...] = (*SHAPES, *BODIES)
"""Named response shapes other schemas refer to (written open: Nuki may add fields)."""
