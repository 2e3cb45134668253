"""The service's callback URL rule is the simulator's webhook URL rule, written twice.

The adapter shares nothing with the simulator but HTTP, so it restates the rule instead of
importing it; these URLs hold the two copies to the same verdict.
"""

from __future__ import annotations

import pytest

from nuki_sim.adapters.service.urls import callback_url_allowed
from nuki_sim.simulator.domain.webhooks import url_allowed

URLS = [
    "https://example.com/hook",
    "https://example.com:8443/hook?x=1",
    "http://example.com/hook",
    "http://127.0.0.1:9000/events",
    "https://127.0.0.1/events",
    "http://127.8.9.10/events",
    "http://localhost:8000/",
    "http://LOCALHOST./x",
    "http://api.localhost/x",
    "http://ip6-localhost/x",
    "http://[::1]:9000/x",
    "http://[::ffff:127.0.0.1]/x",
    "https://[::ffff:10.0.0.1]/x",
    "https://10.0.0.1/x",
    "https://172.16.5.4/x",
    "https://192.168.1.1/x",
    "https://100.64.0.1/x",
    "https://169.254.169.254/latest/meta-data",
    "https://[fe80::1]/x",
    "https://[fd00::1]/x",
    "https://0.0.0.0/x",
    "https://0.1.2.3/x",
    "https://224.0.0.1/x",
    "https://240.0.0.1/x",
    "https://[::]/x",
    "https://8.8.8.8/x",
    "http://8.8.8.8/x",
    "https://[2001:4860::8888]/x",
    "ftp://example.com/x",
    "https:///nohost",
    "example.com/hook",
    "/relative",
    "",
    "https://example.com:99999/x",
    "https://example.com:port/x",
    "https://exa mple.com/x",
    "https://example.com/\x00",
    "https://exämple.com/x",
    "https://example.com/" + "a" * 2048,
    "https://[::1/x",
]


@pytest.mark.parametrize("url", URLS)
def test_the_service_allows_a_callback_url_exactly_when_the_simulator_would_a_webhook(
    url: str,
) -> None:
    assert callback_url_allowed(url) == url_allowed(url), url


def test_both_kinds_of_verdict_are_covered() -> None:
    verdicts = {callback_url_allowed(u) for u in URLS}
    assert verdicts == {True, False}
