"""Drive Schemathesis against a :class:`ThreadedSimulator` and collect what it finds.

Each operation gets ``examples`` positive and ``examples`` negative cases (Schemathesis's
generation modes), on random ids and on the demo's real ones, and every answer runs through
the checks below. Failures are collected, not raised, so one run reports all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    ignored_auth,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from nuki_sim.simulator.domain.codes import AuthType
from tests.robustness.conftest import ThreadedSimulator

# A loopback port nothing listens on: a fuzzed webhook subscription must never reach the network.
SAFE_WEBHOOK_URL = "http://127.0.0.1:9/nuki-sim-fuzz"
# aiohttp's HTTP parser refuses longer request lines itself, before the app, with a plain-text
# 400; test_hostile_access pins that down on its own, so the fuzz stays below it.
MAX_REQUEST_LINE = 8000
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def documented_status(ctx: Any, response: Any, case: Case) -> bool | None:
    """The status is listed by the operation itself: ``default`` only covers injected faults."""
    listed = case.operation.responses.status_codes
    assert str(response.status_code) in listed, (
        f"{case.operation.label} answered {response.status_code}, listed: {sorted(listed)}"
    )
    return None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    documented_status,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    ignored_auth,
]


@dataclass
class FuzzReport:
    """What one run sent and found: distinct failures as (operation, mode, first lines)."""

    cases: int = 0
    not_negatable: list[str] = field(default_factory=list)
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def add(self, label: str, mode: GenerationMode, error: BaseException) -> None:
        text = str(error).strip()
        head = " ".join(text.splitlines()[:3])[:200] or type(error).__name__
        self.failures.setdefault((label, mode.value, head), text[:3000])

    def describe(self) -> str:
        return "\n\n".join(
            f"{op} [{mode}]\n{text}" for (op, mode, _), text in self.failures.items()
        )


def real_path_parameters(server: ThreadedSimulator) -> list[dict[str, Any]]:
    """Path parameters naming the demo's real objects, so cases reach past the 404s."""
    demo = server.sim.demo
    keypad, bare = demo.locks[0], demo.locks[1]
    code = next(a for a in keypad.cloud.auths.values() if a.type == AuthType.KEYPAD_CODE)
    app = next(a for a in bare.cloud.auths.values() if a.type == AuthType.APP)
    shared = {"apiKeyId": demo.token.api_key_id, "accountId": demo.account.account_id}
    return [
        {**shared, "smartlockId": keypad.smartlock_id, "authId": code.id},
        {**shared, "smartlockId": bare.smartlock_id, "authId": app.id},
    ]


def safe(case: Case) -> Case:
    """Point any webhook URL a case carries at a dead loopback port."""
    if isinstance(case.body, dict) and isinstance(case.body.get("webhookUrl"), str):
        case.body["webhookUrl"] = SAFE_WEBHOOK_URL
    return case


def fits_request_line(case: Case) -> bool:
    """True when the case's path and query stay below aiohttp's request-line limit."""
    sent = case.as_transport_kwargs(base_url="http://127.0.0.1")
    prepared = requests.Request(sent["method"], sent["url"], params=sent.get("params")).prepare()
    return len(prepared.path_url or "") < MAX_REQUEST_LINE


def strategies(operation: Any, mode: GenerationMode, real: list[dict[str, Any]]) -> Any:
    """Random cases, plus (when the path has parameters) cases on the demo's real objects."""
    names = {p.name for p in operation.path_parameters}
    options = [operation.as_strategy(generation_mode=mode)]
    if names and mode is GenerationMode.POSITIVE:
        for ids in real:
            fixed = {name: value for name, value in ids.items() if name in names}
            options.append(operation.as_strategy(generation_mode=mode, path_parameters=fixed))
    return st.one_of(options).filter(fits_request_line).map(safe)


def fuzz(
    server: ThreadedSimulator,
    operations: Iterable[Any],
    examples: int,
    token: str,
    before_each_operation: Callable[[], None],
) -> FuzzReport:
    """Run ``examples`` cases per operation and mode against ``server``; collect failures."""
    report = FuzzReport()
    real = real_path_parameters(server)
    headers = {"Authorization": f"Bearer {token}"}
    with requests.Session() as session:
        for operation in operations:
            before_each_operation()
            for mode in MODES:
                run_operation(server, session, headers, operation, mode, real, examples, report)
    return report


def run_operation(
    server: ThreadedSimulator,
    session: requests.Session,
    headers: dict[str, str],
    operation: Any,
    mode: GenerationMode,
    real: list[dict[str, Any]],
    examples: int,
    report: FuzzReport,
) -> None:
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategies(operation, mode, real))
    def send(case: Case) -> None:
        report.cases += 1
        try:
            case.call_and_validate(
                base_url=server.url, session=session, headers=headers, checks=CHECKS
            )
        except (AssertionError, BaseExceptionGroup, requests.RequestException) as error:
            report.add(operation.label, mode, error)

    try:
        send()
    except Unsatisfiable:
        if mode is not GenerationMode.NEGATIVE:
            raise
        report.not_negatable.append(operation.label)  # no parameter, header or body to break


def load_schema(server: ThreadedSimulator) -> Any:
    """The simulator's own ``/openapi.json``, as served."""
    return schemathesis.openapi.from_url(server.url + "/openapi.json")
