"""Nuki Web's account-user shape (Swagger 4.18.0 ``AccountUser``), declared once."""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, NotRequired, TypedDict

from nuki_sim.simulator.domain.describe import OBJECT_ID, Doc, instant


class AccountUser(TypedDict):
    """AccountUser: a user of the account, whom type-0 app authorizations name."""

    accountUserId: Annotated[int, Doc("The account user id.", minimum=1)]
    accountId: Annotated[int, Doc("The account id.", minimum=1)]
    type: NotRequired[Annotated[int, Doc("0: user, 1: company.", minimum=0, maximum=1)]]
    email: Annotated[str, Doc("The e-mail address.")]
    name: Annotated[str, Doc("The name.")]
    language: NotRequired[Annotated[str, Doc("The language code, such as de.")]]
    operationId: NotRequired[
        Annotated[
            str,
            Doc(
                "Set while an operation (the asynchronous delete) holds the user: writes are 423.",
                pattern=OBJECT_ID,
            ),
        ]
    ]
    creationDate: Annotated[str, instant("When the user was created.")]
    updateDate: Annotated[str, instant("When the user was last changed.")]
