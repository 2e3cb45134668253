"""The account request bodies (Swagger 4.18.0), declared once for the OpenAPI document.

Open like every Nuki body: unknown keys are ignored and ``null`` counts as omitted.
``AccountSetting`` is both the body of ``PUT /account/setting`` and its reply
(:mod:`nuki_sim.simulator.domain.account_shapes`).
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Required, TypedDict

from nuki_sim.simulator.domain.describe import Doc, doc
from nuki_sim.simulator.domain.shapes import AccountProfile
from nuki_sim.simulator.http.user_bodies import LANGUAGE

EMAIL = "An e-mail address (400 if it is not one; 409 if another account has it)."
PASSWORD = "The password, at least 7 characters."
NAME = "The name, 1 to 50 characters."


class AccountConfigChange(TypedDict, total=False):
    """The pins of Account.Config (an omitted pin stays)."""

    alexaPin: Annotated[str, Doc("The Alexa pin.")]
    gactionsHomePin: Annotated[str, Doc("The Google smart home pin.")]


class AccountUpdate(TypedDict, total=False):
    """Changes to the account; an omitted field stays as it is (``language`` is required)."""

    email: Annotated[str, doc(EMAIL, format="email")]
    password: Annotated[str, doc(PASSWORD + " Revokes the account's API tokens.", minLength=7)]
    name: Annotated[str, doc(NAME, minLength=1, maxLength=50)]
    language: Required[LANGUAGE]
    config: AccountConfigChange
    profile: AccountProfile


class AccountSubCreate(TypedDict, total=False):
    """A new sub account of the token's account."""

    email: Required[Annotated[str, doc(EMAIL, format="email")]]
    password: Required[Annotated[str, doc(PASSWORD, minLength=7)]]
    name: Required[Annotated[str, doc(NAME, minLength=1, maxLength=50)]]
    rights: Required[
        Annotated[
            int,
            Doc(
                "The rights bitmask: 1 operate smartlock, 2 change smartlock config, 4 manage "
                "smartlock users, 8 view smartlock logs, 16 manage sub accounts.",
                minimum=0,
                maximum=31,
            ),
        ]
    ]
    language: Required[LANGUAGE]
    profile: AccountProfile


class AccountSubUpdate(TypedDict, total=False):
    """Changes to a sub account; an omitted field stays as it is (``language`` is required)."""

    email: Annotated[str, doc(EMAIL, format="email")]
    password: Annotated[str, doc(PASSWORD, minLength=7)]
    name: Annotated[str, doc(NAME, minLength=1, maxLength=50)]
    rights: Annotated[int, Doc("The new rights bitmask (0 to 127).", minimum=0, maximum=127)]
    language: Required[LANGUAGE]
    config: AccountConfigChange
    profile: AccountProfile


class AccountEmailChange(TypedDict):
    """The address to change to (Nuki mails it a verification link)."""

    email: Annotated[str, doc(EMAIL, format="email")]


class AccountOtpEnable(TypedDict):
    """A code of the secret ``PUT /account/otp`` answered."""

    otp: Annotated[str, Doc("The one-time password: six digits (RFC 6238, 30 s, SHA-1).")]


class AccountPasswordReset(TypedDict, total=False):
    """Whose password to reset (Nuki mails a reset link)."""

    email: Required[Annotated[str, doc("The account's e-mail address.", format="email")]]
    deleteApiTokens: Annotated[bool, Doc("Whether the reset, once done, deletes API tokens.")]


BODIES = (
    AccountUpdate,
    AccountSubCreate,
    AccountSubUpdate,
    AccountEmailChange,
    AccountOtpEnable,
    AccountPasswordReset,
)
