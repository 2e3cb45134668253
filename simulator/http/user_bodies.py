"""The account-user request bodies (Swagger 4.18.0), declared once for the OpenAPI document.

Open like every Nuki body: unknown keys are ignored and ``null`` counts as omitted.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Required, TypedDict

from nuki_sim.simulator.domain.describe import Doc, doc

LANGUAGE = Annotated[
    str,
    doc("The language code.", enum=["en", "de", "es", "fr", "it", "nl", "cs", "sk"]),
]
EMAIL = "An e-mail address (400 if it is not one; 409 if another user of the account has it)."
NAME = "The name, 1 to 50 characters."


class AccountUserCreate(TypedDict, total=False):
    """A new account user."""

    type: Annotated[
        int, Doc("0: user, 1: company (Nuki: only for caretakers).", minimum=0, maximum=1)
    ]
    email: Required[Annotated[str, doc(EMAIL, format="email")]]
    name: Required[Annotated[str, doc(NAME, minLength=1, maxLength=50)]]
    language: LANGUAGE


class AccountUserUpdate(TypedDict, total=False):
    """Changes to an account user; an omitted field stays as it is."""

    email: Annotated[str, doc(EMAIL, format="email")]
    name: Annotated[str, doc(NAME, minLength=1, maxLength=50)]
    language: LANGUAGE
