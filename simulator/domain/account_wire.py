"""Account values to Nuki's account shapes (:mod:`.account_shapes`)."""

from __future__ import annotations

from typing import Any, cast

from nuki_sim.simulator.domain.account_calls import token_id
from nuki_sim.simulator.domain.account_shapes import AccountIntegration, AccountSetting
from nuki_sim.simulator.domain.model import Account, ApiToken


def setting(web: dict[str, Any]) -> AccountSetting:
    """The stored ``web`` part, checked when it was put (its keys are AccountSetting.Web's)."""
    return {"web": cast(Any, web)}


def integration(token: ApiToken, sub: Account | None) -> AccountIntegration:
    reply: AccountIntegration = {
        "version": "HYDRA",
        "vendorKey": "API_TOKEN",
        "name": token.name,
        "clientId": str(token.api_key_id),
        "tokenId": str(token_id(token)),
        "scopes": sorted(token.scopes),
        "subAccount": sub is not None,
        "warning": False,
        "device": False,
    }
    if sub is not None:
        reply["subAccountId"] = sub.account_id
        reply["subAccountName"] = sub.name
    return reply
