"""Text that cannot be written out, refused where it comes in (issue "[2/5] Hardening", 1).

``"\\ud800"`` is a valid JSON escape but not Unicode: Python decodes it to a lone surrogate,
which no UTF-8 writer takes. Once stored, every read of the world, every snapshot, the
webhook dispatcher and the ``--state`` file would fail with it. So every route that takes
text refuses it (a key or a value, at any depth) with Nuki's 400 and changes nothing, and
the world stays readable, savable and restorable afterwards. Control characters are refused
where they would reach the terminal (lock names, printed in the banner) and in tokens that
travel in headers.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio

from nuki_sim.adapters.service import AdapterService, start_adapter_service
from nuki_sim.simulator import cli
from nuki_sim.simulator.domain import snapshot
from nuki_sim.simulator.domain.errors import BadParameter
from nuki_sim.simulator.http.faults import FAULTS
from nuki_sim.simulator.http.server import RunningSimulator, StateFileError, start_simulator
from tests.client import ApiClient
from tests.robustness.hostile import assert_nuki_error, world_state

BAD = "\ud800"  # a lone high surrogate: json.dumps writes it as the escape "\ud800"
LONE_LOW = "\udfff"
KEYPAD = 13
CODE = 345_678
CONTROL_TOKEN = "control-secret"
CONTROL_CHARS = ["\x00", "\n", "\x1b[2J", "\x7f", "\x85"]

# (method, path template, body): every route that takes text, with a surrogate somewhere.
SURROGATE_BODIES: list[tuple[str, str, Any]] = [
    ("POST", "/smartlock/{lock}", {"name": f"Door{BAD}"}),
    ("POST", "/smartlock/{lock}", {"name": "Door", f"x{BAD}": 1}),  # in a key
    ("PUT", "/smartlock/{lock}/auth", {"name": f"Guest{BAD}", "type": KEYPAD, "code": CODE}),
    ("PUT", "/smartlock/{lock}/auth", {"name": LONE_LOW, "type": KEYPAD, "code": CODE}),
    ("PUT", "/smartlock/{lock}/auth", {"name": "Guest", "type": 0, "accountUserId": 1,
                                       "extra": {"deep": [[f"{BAD}"]]}}),  # nested, unknown
    ("POST", "/smartlock/{lock}/auth/{auth}", {"name": f"Renamed{BAD}"}),
    ("PUT", "/smartlock/auth", {"name": f"Bulk{BAD}", "type": KEYPAD, "code": CODE,
                                "smartlockIds": ["{lock_id}"]}),
    ("POST", "/smartlock/auth", [{"id": "{auth}", "name": f"Bulk{BAD}"}]),
    ("DELETE", "/smartlock/auth", [f"{BAD}"]),
    ("POST", "/smartlock/{lock}/action", {"action": 1, BAD: 0}),
    ("PUT", "/api/decentralWebhook", {"webhookUrl": f"https://example.com/{BAD}",
                                      "webhookFeatures": ["DEVICE_STATUS"]}),
    ("PUT", "/api/decentralWebhook", {"webhookUrl": "https://example.com/hook",
                                      "webhookFeatures": [f"DEVICE_STATUS{BAD}"]}),
    ("POST", "/_sim/accounts", {"name": f"Tenant{BAD}"}),
    ("POST", "/_sim/accounts", {"email": f"a{BAD}@example.com"}),
    ("POST", "/_sim/accounts/{account}/tokens", {"name": f"Key{BAD}"}),
    ("POST", "/_sim/accounts/{account}/tokens", {"scopes": [f"smartlock{BAD}"]}),
    ("POST", "/_sim/smartlocks", {"accountId": "{account_id}", "name": f"Shed{BAD}"}),
    ("POST", "/_sim/smartlocks", {"accountId": "{account_id}", "timezone": f"Europe/{BAD}"}),
    ("POST", "/_sim/clock/set", {"now": f"2026-01-06T00:00:00Z{BAD}"}),
    ("POST", "/_sim/smartlocks/{lock}/keypad", {"code": f"34567{BAD}"}),
    ("POST", "/_sim/faults", {"path": "/smartlock", "status": 503,
                              "body": {"detailMessage": f"down{BAD}"}}),
    ("POST", "/_sim/webhooks/flush", {"timeoutSeconds": 1, BAD: True}),
]  # fmt: skip


def fill(value: Any, sim: RunningSimulator, auth_id: str) -> Any:
    """``value`` with the placeholders replaced by the demo's ids (ints stay ints)."""
    lock = sim.demo.locks[0].smartlock_id
    account = sim.demo.account.account_id
    if isinstance(value, str):
        if value == "{lock_id}":
            return lock
        if value == "{account_id}":
            return account
        return value.format(lock=lock, auth=auth_id, account=account)
    if isinstance(value, list):
        return [fill(v, sim, auth_id) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, sim, auth_id) for k, v in value.items()}
    return value


def some_auth(sim: RunningSimulator) -> str:
    return next(iter(sim.demo.locks[0].cloud.auths))


async def send(api: ApiClient, method: str, path: str, body: Any) -> Any:
    """``body`` as JSON text (surrogates written as ``\\ud8xx`` escapes, as a client would)."""
    raw = json.dumps(body).encode("ascii")
    headers = {"Content-Type": "application/json"}
    return await api.request(method, path, data=raw, headers=headers, validate=False)


async def assert_readable(sim: RunningSimulator, api: ApiClient) -> None:
    """The account, the locks, the snapshot, the device view and the banner all still work."""
    lock = sim.demo.locks[0].smartlock_id
    for path in ("/account", "/smartlock", f"/smartlock/{lock}/auth", "/api/decentralWebhook"):
        assert (await api.get(path)).status == 200, path
    for path in ("/_sim/snapshot", f"/_sim/smartlocks/{lock}/device", "/_sim/webhooks"):
        assert (await api.get(path, validate=False)).status == 200, path
    json.dumps(world_state(sim), ensure_ascii=False).encode("utf-8")
    cli.banner(sim).encode("utf-8")


@pytest.mark.parametrize(("method", "path", "body"), SURROGATE_BODIES)
async def test_a_lone_surrogate_anywhere_is_refused_and_changes_nothing(
    nuki_sim: RunningSimulator, api: ApiClient, method: str, path: str, body: Any
):
    """A lone surrogate in any string, key or nested value of any route's body is a 400 that changes nothing."""
    before, faults = world_state(nuki_sim), list(nuki_sim.runner.app[FAULTS].rules)
    auth = some_auth(nuki_sim)
    reply = await send(api, method, fill(path, nuki_sim, auth), fill(body, nuki_sim, auth))
    assert_nuki_error(reply, 400)
    assert "not valid Unicode" in reply.body["detailMessage"]
    assert world_state(nuki_sim) == before
    assert nuki_sim.runner.app[FAULTS].rules == faults
    await assert_readable(nuki_sim, api)


async def test_a_snapshot_with_a_lone_surrogate_is_not_restored(
    nuki_sim: RunningSimulator, api: ApiClient
):
    """``/_sim/restore`` of a snapshot whose lock name holds a surrogate is a 400; the world stays."""
    before = world_state(nuki_sim)
    name = nuki_sim.demo.locks[0].name
    text = json.dumps(before).replace(json.dumps(name), json.dumps(name + BAD), 1)
    assert "\\ud800" in text
    reply = await api.post(
        "/_sim/restore", data=text, headers={"Content-Type": "application/json"}, validate=False
    )
    assert_nuki_error(reply, 400)
    assert world_state(nuki_sim) == before
    await assert_readable(nuki_sim, api)


@pytest.mark.parametrize("char", CONTROL_CHARS, ids=["nul", "newline", "escape", "del", "nel"])
async def test_control_characters_in_a_lock_name_are_refused(
    nuki_sim: RunningSimulator, api: ApiClient, char: str
):
    """A lock name (printed in the banner) with NUL, a newline, ESC, DEL or NEL is a 400 that changes nothing."""
    before = world_state(nuki_sim)
    lock = nuki_sim.demo.locks[0].smartlock_id
    account = nuki_sim.demo.account.account_id
    assert_nuki_error(await send(api, "POST", f"/smartlock/{lock}", {"name": f"Do{char}or"}), 400)
    created = await send(api, "POST", "/_sim/smartlocks", {"accountId": account, "name": char})
    assert_nuki_error(created, 400)
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize("name", [5, ["Door"], {"v": "Door"}, True])
async def test_names_that_are_not_strings_are_refused(
    nuki_sim: RunningSimulator, api: ApiClient, name: Any
):
    """A lock, account or code name that is a number, list, object or bool is a 400 that changes nothing."""
    before = world_state(nuki_sim)
    lock = nuki_sim.demo.locks[0].smartlock_id
    for method, path, body in [
        ("POST", f"/smartlock/{lock}", {"name": name}),
        ("PUT", f"/smartlock/{lock}/auth", {"name": name, "type": KEYPAD, "code": CODE}),
        ("POST", "/_sim/accounts", {"name": name}),
    ]:
        assert_nuki_error(await send(api, method, path, body), 400)
    assert world_state(nuki_sim) == before


async def test_the_state_file_survives_refused_text(tmp_path: Path, http: aiohttp.ClientSession):
    """After refused surrogates, ``--state`` saves, the next start restores it and prints its banner."""
    state = tmp_path / "world.json"
    sim = await start_simulator(state_file=state)
    try:
        api = ApiClient(http, sim.url, sim.token)
        lock = sim.demo.locks[0].smartlock_id
        assert_nuki_error(await send(api, "POST", f"/smartlock/{lock}", {"name": BAD}), 400)
        assert (await api.post(f"/smartlock/{lock}", {"name": "Porch"})).status == 204
        saved = world_state(sim)
    finally:
        await sim.close()
    again = await start_simulator(state_file=state)
    try:
        assert world_state(again) == saved
        assert "Porch" in cli.banner(again)
        await assert_readable(again, ApiClient(http, again.url, again.token))
    finally:
        await again.close()


async def test_a_state_file_with_a_lone_surrogate_is_refused_at_start(tmp_path: Path):
    """A state file (written by an older version) holding a surrogate fails to start, clearly."""
    source = await start_simulator()
    try:
        saved = world_state(source)
        name = source.demo.locks[0].name
    finally:
        await source.close()
    state = tmp_path / "world.json"
    state.write_text(json.dumps(saved).replace(json.dumps(name), json.dumps(name + BAD), 1))
    with pytest.raises(StateFileError, match="not valid Unicode"):
        await start_simulator(state_file=state)


def test_the_banner_escapes_control_characters_in_lock_names(nuki_sim: RunningSimulator):
    """A lock name with ESC and a newline (from an old state file) prints escaped, on one line."""
    lock = nuki_sim.demo.locks[0]
    lock.name = "Door\x1b[2J\nEvil"
    shown = cli.banner(nuki_sim)
    assert "\x1b" not in shown
    assert any(line.endswith("Door\\x1b[2J\\nEvil (keypad, " + lock.device.timezone + ")")
               for line in shown.splitlines())  # fmt: skip


def test_snapshot_restore_refuses_a_surrogate_in_python_too(nuki_sim: RunningSimulator):
    """``snapshot.restore`` (behind ``/_sim/restore`` and ``--state``) refuses a surrogate itself."""
    before = world_state(nuki_sim)
    with pytest.raises(BadParameter, match="not valid Unicode"):
        snapshot.restore(nuki_sim.world, {**before, "note": [{"deep": BAD}]})
    assert world_state(nuki_sim) == before


@pytest_asyncio.fixture
async def service(nuki_sim: RunningSimulator) -> AsyncIterator[AdapterService]:
    """The adapter service in front of the simulator."""
    started = await start_adapter_service(nuki_sim.url, nuki_sim.token)
    try:
        yield started
    finally:
        await started.close()


async def test_the_adapter_service_refuses_surrogates_and_keeps_working(
    nuki_sim: RunningSimulator,
    service: AdapterService,
    http: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
):
    """A trait action with a surrogate name is a 400 ParseError; nothing reaches the simulator."""
    before = world_state(nuki_sim)
    lock = str(nuki_sim.demo.locks[0].smartlock_id)
    params = {"pinCode": "345678", "name": f"Guest{BAD}"}
    body = {"trait": "BetaPinCodeCredentials", "action": "createPinCodeCredential",
            "parameters": {"pinCodeCredential": params}}  # fmt: skip
    caplog.set_level(logging.ERROR)
    async with http.post(
        f"{service.url}/devices/{lock}/actions",
        data=json.dumps(body).encode("ascii"),
        headers={"Content-Type": "application/json"},
    ) as reply:
        answer = await reply.json()
        assert reply.status == 400, answer
    assert answer["error"]["code"] == "ParseError"
    assert world_state(nuki_sim) == before
    async with http.get(f"{service.url}/devices/{lock}") as reply:
        assert reply.status == 200
    assert not caplog.records


async def raw_post(
    port: int, path: str, header_lines: list[bytes], body: bytes
) -> tuple[int, bytes]:
    """POST with header bytes sent as they are (no client would send these)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        head = [f"POST {path} HTTP/1.1".encode(), b"Host: 127.0.0.1", b"Connection: close",
                b"Content-Type: application/json", f"Content-Length: {len(body)}".encode(),
                *header_lines]  # fmt: skip
        writer.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
        await writer.wait_closed()
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2]


@pytest.mark.nuki_sim(control_token=CONTROL_TOKEN)
@pytest.mark.parametrize("value", [b"Bearer \xff\xfe", b"Bearer caf\xc3\xa9", b"\xff Bearer"])
async def test_a_control_token_header_that_is_not_ascii_is_a_401(
    nuki_sim: RunningSimulator, value: bytes
):
    """A guarded /_sim with an Authorization header of raw non-UTF-8 or non-ASCII bytes is a 401."""
    before = world_state(nuki_sim)
    status, body = await raw_post(nuki_sim.port, "/_sim/reset", [b"Authorization: " + value], b"")
    assert status == 401, body
    assert set(json.loads(body)) == {"detailMessage", "stackTrace", "suppressedExceptions"}
    assert world_state(nuki_sim) == before


@pytest.mark.parametrize("signature", [b"\xc3\xa9" * 32, b"\xff" * 64, "é".encode("latin-1") * 64])
async def test_the_adapter_webhook_refuses_a_non_ascii_signature_with_401(
    service: AdapterService, signature: bytes
):
    """A webhook to the adapter with a non-ASCII signature is a plain 401 that leaks no exception text."""
    port = int(service.url.rsplit(":", 1)[1])
    payload = json.dumps({"feature": "DEVICE_STATUS"}).encode()
    header = b"X-Nuki-Signature-SHA256: " + signature
    status, body = await raw_post(port, "/nuki/webhook", [header], payload)
    assert status == 401, body
    assert json.loads(body) == {"error": "missing or wrong X-Nuki-Signature-SHA256"}
