"""The version is written once, in pyproject.toml, and read from the installed metadata."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import aiohttp
import pytest

import nuki_sim.simulator
from nuki_sim.simulator import version as version_module
from nuki_sim.simulator.cli import banner
from nuki_sim.simulator.http.server import RunningSimulator
from nuki_sim.simulator.version import UNKNOWN, package_version

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_installed_version_is_the_one_pyproject_declares() -> None:
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["version"]
    assert package_version() == declared, "stale metadata: reinstall (pip install -e .)"
    assert nuki_sim.simulator.__version__ == declared


async def test_the_openapi_document_and_the_banner_report_it(
    nuki_sim: RunningSimulator, http: aiohttp.ClientSession
) -> None:
    async with http.get(nuki_sim.url + "/openapi.json") as reply:
        assert (await reply.json())["info"]["version"] == package_version()
    assert f"  version   : {package_version()}" in banner(nuki_sim).splitlines()


def test_a_checkout_that_was_never_installed_reports_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(version_module, "version", missing)
    package_version.cache_clear()
    try:
        assert package_version() == UNKNOWN
    finally:
        package_version.cache_clear()
