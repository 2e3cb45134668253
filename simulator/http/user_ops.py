"""Nuki Web's account-user operations (Swagger 4.18.0 ``AccountUser``): one entry each.

As in the Swagger, either the ``account`` or the ``smartlock.auth`` scope allows them (the
scopes of one Swagger requirement are alternatives here, as for the lock routes).
"""

from __future__ import annotations

from nuki_sim.simulator.domain import wire
from nuki_sim.simulator.domain.user_shapes import AccountUser
from nuki_sim.simulator.http import parse, queries
from nuki_sim.simulator.http.nuki_ops import E400_BODY, E401, E413
from nuki_sim.simulator.http.operations import Body, Operation
from nuki_sim.simulator.http.params import integer, query
from nuki_sim.simulator.http.schema import ref

TAG = "Account users"
SCOPES = ("account", "smartlock.auth")
USER = "/account/user/{accountUserId}"
E400_USER = (
    E400_BODY + " The e-mail address is not one, the name is missing, empty or longer than 50 "
    "characters, or the language is not one of Nuki's."
)
E403 = "The account user belongs to another account: `Forbidden`."
E404 = "No such account user: `Account user not found`."
E409 = "Another user of the account has this e-mail address: `Email address already exists`."
E423 = "The user's asynchronous delete is still pending."
ONE = {400: "accountUserId is not a valid number.", 401: E401, 403: E403, 404: E404}

OPERATIONS = [
    Operation(
        "GET", "/account/user", "listAccountUsers", TAG, "List account users",
        "The account's users by id, a window of at most `limit` (default and cap 100) from "
        "`offset`; `email` keeps the user with this address (case-insensitive). A user whose "
        "delete is pending is listed with its `operationId` until it is gone.",
        lambda api, c: [wire.account_user(u) for u in api.account_users(
            queries.account_user_query(c.query))],
        scopes=SCOPES, reply=list[AccountUser], reply_text="The users.",
        query=[
            query("email", {"type": "string"}, "Only the user with this e-mail address."),
            query("offset", integer("Users to skip.", minimum=0), "Users to skip (default 0)."),
            query("limit", integer("Maximum users.", minimum=1),
                  "How many to return (default 100; larger values are treated as 100)."),
        ],
        errors={400: "offset or limit is not valid.", 401: E401},
    ),
    Operation(
        "PUT", "/account/user", "createAccountUser", TAG, "Create an account user",
        "Add a user to the account; type-0 app authorizations can name it at once.",
        lambda api, c: wire.account_user(
            api.create_account_user(parse.account_user_create(c.body))),
        scopes=SCOPES, body=Body(ref("AccountUserCreate"), "The user."),
        reply=AccountUser, reply_text="The user.",
        errors={400: E400_USER, 401: E401, 409: E409, 413: E413},
    ),
    Operation(
        "GET", USER, "getAccountUser", TAG, "Get an account user", "One user of the account.",
        lambda api, c: wire.account_user(api.account_user(c.ids["accountUserId"])),
        scopes=SCOPES, reply=AccountUser, reply_text="The user.", errors=ONE,
    ),
    Operation(
        "POST", USER, "updateAccountUser", TAG, "Update an account user",
        "Change the user's e-mail address, name or language (omitted fields stay).",
        lambda api, c: wire.account_user(api.update_account_user(
            c.ids["accountUserId"], parse.account_user_update(c.body))),
        scopes=SCOPES, body=Body(ref("AccountUserUpdate"), "The changes."),
        reply=AccountUser, reply_text="The user as changed.",
        errors={**ONE, 400: E400_USER, 409: E409, 413: E413, 423: E423},
    ),
    Operation(
        "DELETE", USER, "deleteAccountUser", TAG, "Delete an account user asynchronously",
        "Answers 204 at once; the user carries the delete's `operationId` (further writes "
        "are 423) and is gone after the push delay.",
        lambda api, c: api.delete_account_user(c.ids["accountUserId"]),
        scopes=SCOPES, reply_text="Accepted; the body is empty.", errors={**ONE, 423: E423},
    ),
]  # fmt: skip
