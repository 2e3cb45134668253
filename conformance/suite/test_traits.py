"""The adapter-level suite: every scenario of ``features/traits``."""

from pytest_bdd import scenarios

from nuki_sim.features import TRAITS

scenarios(str(TRAITS))
