"""The API-level suite: every scenario of ``features/nuki_web``."""

from pytest_bdd import scenarios

from features import NUKI_WEB

scenarios(str(NUKI_WEB))
