"""The API-level suite: every scenario of ``features/nuki_web``."""

from pytest_bdd import scenarios

from nuki_sim.features import NUKI_WEB

scenarios(str(NUKI_WEB))
