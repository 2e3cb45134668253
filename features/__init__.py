"""The conformance suites as data: Gherkin feature files, shipped inside the wheel."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent
TRAITS = ROOT / "traits"
NUKI_WEB = ROOT / "nuki_web"
