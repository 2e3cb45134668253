"""Nuki Web's account shapes (Swagger 4.18.0): sub accounts, settings and integrations.

Required sets are Nuki's own, and the document leaves these objects open (Nuki may add
fields), so a client validated against it accepts Nuki's real payloads too.
"""

# No ``from __future__ import annotations``: the schema converter reads these types at runtime.

from typing import Annotated, Any, NotRequired, TypedDict

from nuki_sim.simulator.domain.describe import Doc, Raw, doc, instant
from nuki_sim.simulator.domain.shapes import MyAccount


class Account(MyAccount):
    """Account: a sub account as its master account sees it (MyAccount's fields)."""


class StaleDevice(TypedDict, total=False):
    """StaleDevice: a device Nuki Web marked as stale, as the web app keeps it."""

    smartlockId: Annotated[int, Doc("The smartlock id.", minimum=0, int64=True)]
    name: Annotated[str, Doc("The device's name.")]
    read: Annotated[bool, Doc("Whether the user has seen it.")]


class AccountSettingWeb(TypedDict, total=False):
    """AccountSetting.Web: the account's settings for the Nuki Web app."""

    deviceViewType: Annotated[
        str, doc("The initial view type of the device page.", enum=["LIST", "TILE"])
    ]
    deviceSortType: Annotated[
        str,
        doc(
            "The initial sort type of the device page.",
            enum=["FAVOURITES_FIRST", "NAME_ASC", "NAME_DESC", "LAST_ADDED_DESC"],
        ),
    ]
    nukiClubDismissed: Annotated[bool, Doc("If true, no Nuki Club banner is shown.")]
    annotations: Annotated[
        dict[str, Any],
        Raw(
            {
                "type": "object",
                "description": "Further settings by key: a prefix (a DNS subdomain), `/` "
                "and a name, e.g. `web.nuki.io/nfcBannerDismissed`.",
            }
        ),
    ]
    removedStaledDevices: Annotated[list[StaleDevice], Doc("Removed stale devices.")]
    markedStaledDevices: Annotated[list[StaleDevice], Doc("Marked stale devices.")]


class AccountSetting(TypedDict, total=False):
    """AccountSetting: the account's settings (what the last PUTs merged)."""

    web: AccountSettingWeb


class AccountIntegration(TypedDict):
    """AccountIntegration: an API token of the account or of one of its sub accounts."""

    version: Annotated[
        str,
        doc("Legacy or the new OAuth implementation (HYDRA).", enum=["LEGACY", "HYDRA"]),
    ]
    vendorKey: Annotated[str, Doc("What the integration is, e.g. API_TOKEN, ALEXA, IOS.")]
    subAccountName: NotRequired[Annotated[str, Doc("The sub account's name, if via one.")]]
    subAccountId: NotRequired[Annotated[int, Doc("The sub account's id, if via one.")]]
    subAccount: NotRequired[Annotated[bool, Doc("True if the token is a sub account's.")]]
    name: Annotated[str, Doc("The token's name.")]
    description: NotRequired[Annotated[str, Doc("The description given by the user.")]]
    createdAt: NotRequired[Annotated[str, instant("When the token was first created.")]]
    lastActiveAt: NotRequired[Annotated[str, instant("When the token was last refreshed.")]]
    scopes: NotRequired[Annotated[list[str], Doc("The scopes granted to the token.")]]
    warning: NotRequired[Annotated[bool, Doc("True for a legacy integration.")]]
    tokenId: NotRequired[
        Annotated[str, Doc("The token's id (digits): `tokenId` of the delete.", pattern=r"^\d+$")]
    ]
    advancedType: NotRequired[Annotated[str, Doc("The advanced API type, if advanced.")]]
    advancedState: NotRequired[Annotated[str, Doc("The advanced API state, if advanced.")]]
    clientId: Annotated[str, Doc("The API key's id (digits): `apiKeyId` of the delete.")]
    sortOrder: NotRequired[Annotated[int, Doc("Where the entry sorts (set by vendorKey).")]]
    device: NotRequired[Annotated[bool, Doc("True for a device, false for an integration.")]]


COMPONENTS = (Account, AccountSetting, AccountSettingWeb, StaleDevice, AccountIntegration)
