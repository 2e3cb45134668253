"""The version of nuki-sim, as installed: ``[project] version`` in pyproject.toml is the one
place it is written, and the installed metadata (wheel or editable install) carries it."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

DISTRIBUTION = "nuki-sim"
UNKNOWN = "0+unknown"
"""Reported when the folders are used straight from a checkout that was never installed
(no metadata to read): a valid PEP 440 version that sorts below every release."""


@cache
def package_version() -> str:
    """``importlib.metadata.version("nuki-sim")``, or :data:`UNKNOWN` if it is not installed."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return UNKNOWN
