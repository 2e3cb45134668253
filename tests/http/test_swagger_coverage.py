"""The simulator serves exactly the operations of Nuki's Swagger 4.18.0 (issue 14).

The expected list is written here as data, taken once from Nuki's Swagger file (which is not
part of the project). Paths are compared with their placeholders' names left out: ours may say
``{authId}`` where Nuki says ``{id}``. The docs' coverage table is checked to be what
:mod:`nuki_sim.simulator.http.coverage` writes now, so it cannot go stale.
"""

from __future__ import annotations

import re
from pathlib import Path

from nuki_sim.simulator.http import coverage
from nuki_sim.simulator.http.openapi import document

ROOT = Path(__file__).resolve().parents[2]

SWAGGER_4_18_0 = [
    "DELETE /account",
    "GET /account",
    "POST /account",
    "POST /account/email/change",
    "POST /account/email/verify",
    "DELETE /account/integration",
    "GET /account/integration",
    "DELETE /account/otp",
    "POST /account/otp",
    "PUT /account/otp",
    "POST /account/password/reset",
    "DELETE /account/setting",
    "GET /account/setting",
    "PUT /account/setting",
    "GET /account/sub",
    "PUT /account/sub",
    "DELETE /account/sub/{accountId}",
    "GET /account/sub/{accountId}",
    "POST /account/sub/{accountId}",
    "GET /account/user",
    "PUT /account/user",
    "DELETE /account/user/{accountUserId}",
    "GET /account/user/{accountUserId}",
    "POST /account/user/{accountUserId}",
    "GET /address",
    "PUT /address",
    "GET /address/token/{id}",
    "GET /address/token/{id}/redeem",
    "POST /address/token/{id}/redeem",
    "DELETE /address/{addressId}",
    "POST /address/{addressId}",
    "GET /address/{addressId}/reservation",
    "POST /address/{addressId}/reservation/{id}/issue",
    "POST /address/{addressId}/reservation/{id}/revoke",
    "POST /address/{addressId}/reservation/{id}/update/accesstimes",
    "GET /address/{addressId}/token",
    "DELETE /address/{addressId}/unit",
    "GET /address/{addressId}/unit",
    "PUT /address/{addressId}/unit",
    "DELETE /address/{addressId}/unit/{id}",
    "GET /api/decentralWebhook",
    "PUT /api/decentralWebhook",
    "DELETE /api/decentralWebhook/{id}",
    "GET /api/key",
    "PUT /api/key",
    "DELETE /api/key/{apiKeyId}",
    "POST /api/key/{apiKeyId}",
    "DELETE /api/key/{apiKeyId}/advanced",
    "GET /api/key/{apiKeyId}/advanced",
    "POST /api/key/{apiKeyId}/advanced",
    "PUT /api/key/{apiKeyId}/advanced",
    "POST /api/key/{apiKeyId}/advanced/reactivate",
    "GET /api/key/{apiKeyId}/token",
    "PUT /api/key/{apiKeyId}/token",
    "DELETE /api/key/{apiKeyId}/token/{id}",
    "POST /api/key/{apiKeyId}/token/{id}",
    "GET /api/key/{apiKeyId}/webhook/logs",
    "POST /bulk-web-config",
    "GET /company",
    "GET /notification",
    "PUT /notification",
    "DELETE /notification/{notificationId}",
    "GET /notification/{notificationId}",
    "POST /notification/{notificationId}",
    "GET /opener/brand",
    "GET /opener/brand/{brandId}",
    "GET /opener/intercom",
    "GET /opener/intercom/{intercomId}",
    "GET /service",
    "GET /service/{serviceId}",
    "POST /service/{serviceId}/link",
    "POST /service/{serviceId}/sync",
    "POST /service/{serviceId}/unlink",
    "GET /smartlock",
    "DELETE /smartlock/auth",
    "GET /smartlock/auth",
    "POST /smartlock/auth",
    "PUT /smartlock/auth",
    "PUT /smartlock/auth/advanced",
    "GET /smartlock/auth/paged",
    "GET /smartlock/log",
    "DELETE /smartlock/{smartlockId}",
    "GET /smartlock/{smartlockId}",
    "POST /smartlock/{smartlockId}",
    "POST /smartlock/{smartlockId}/action",
    "POST /smartlock/{smartlockId}/action/advanced",
    "POST /smartlock/{smartlockId}/action/lock",
    "POST /smartlock/{smartlockId}/action/lock/advanced",
    "POST /smartlock/{smartlockId}/action/unlock",
    "POST /smartlock/{smartlockId}/action/unlock/advanced",
    "POST /smartlock/{smartlockId}/admin/pin",
    "POST /smartlock/{smartlockId}/advanced/config",
    "POST /smartlock/{smartlockId}/advanced/openerconfig",
    "POST /smartlock/{smartlockId}/advanced/smartdoorconfig",
    "GET /smartlock/{smartlockId}/auth",
    "PUT /smartlock/{smartlockId}/auth",
    "POST /smartlock/{smartlockId}/auth/advanced/sharedkey",
    "DELETE /smartlock/{smartlockId}/auth/{id}",
    "GET /smartlock/{smartlockId}/auth/{id}",
    "POST /smartlock/{smartlockId}/auth/{id}",
    "POST /smartlock/{smartlockId}/config",
    "GET /smartlock/{smartlockId}/log",
    "POST /smartlock/{smartlockId}/sync",
    "POST /smartlock/{smartlockId}/web/config",
]


def _key(operation: str) -> tuple[str, str]:
    method, path = operation.split(" ", 1)
    return method, re.sub(r"\{\w+\}", "{}", path)


def test_the_expected_list_is_the_swaggers_104_operations() -> None:
    keys = [_key(op) for op in SWAGGER_4_18_0]
    assert len(keys) == 104
    assert len(set(keys)) == 104


def test_we_serve_every_swagger_operation_and_no_other_nuki_operation() -> None:
    """Every Nuki operation is routed and documented; no path outside Nuki's is, other than
    ``/_sim`` and the document itself."""
    expected = {_key(op): op for op in SWAGGER_4_18_0}
    ours = {
        (verb.upper(), re.sub(r"\{\w+\}", "{}", path)): f"{verb.upper()} {path}"
        for path, item in document(control=False)["paths"].items()
        for verb in item
        if verb in ("get", "put", "post", "delete", "patch") and path != "/openapi.json"
    }
    missing = sorted(expected[k] for k in expected.keys() - ours.keys())
    extra = sorted(ours[k] for k in ours.keys() - expected.keys())
    assert (missing, extra) == ([], []), (
        f"{len(missing)} Swagger operations not served: {missing}; "
        f"{len(extra)} served operations Nuki does not have: {extra}"
    )


def test_the_operation_table_is_what_the_document_serves() -> None:
    """The coverage table reads the operation table; the served document is built from it."""
    documented = {
        coverage.key(verb, path)
        for path, item in document(control=False)["paths"].items()
        for verb in item
        if verb in ("get", "put", "post", "delete", "patch") and path != "/openapi.json"
    }
    assert set(coverage.served()) == documented


def test_the_coverage_module_lists_the_same_operations() -> None:
    assert sorted(coverage.key(m, p) for m, p in coverage.SWAGGER_OPERATIONS) == sorted(
        _key(op) for op in SWAGGER_4_18_0
    )


def test_docs_api_md_shows_the_coverage_table_as_generated_now() -> None:
    shown = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert shown == coverage.rewrite(shown), (
        "docs/api.md's coverage table is stale: python -m nuki_sim.simulator.http.coverage "
        "docs/api.md"
    )


def test_the_table_has_a_row_per_swagger_operation_with_its_effect() -> None:
    rows = [
        line for line in coverage.table().splitlines() if line.startswith("| ") and "`/" in line
    ]
    assert len(rows) == 104
    assert "| GET | `/opener/brand` | `listOpenerBrands` | no token | static sample data |" in rows
    assert "| GET | `/company` | `listCompanies` | any valid token | static sample data |" in rows
    assert any(
        row.startswith("| POST | `/smartlock/{smartlockId}/action` |")
        and row.endswith("| stateful |")
        for row in rows
    )
