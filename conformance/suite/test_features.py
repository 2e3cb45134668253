"""Your own scenarios: every feature file under each ``--features DIR``, bound to the kit's
steps (``nuki-conformance --features DIR``, or ``pytest --pyargs nuki_sim.conformance.suite.test_features
--features DIR``). Without ``--features`` this module holds no test."""

from pytest_bdd import scenarios

from nuki_sim.conformance.plugin import feature_dirs

for _directory in feature_dirs():
    scenarios(str(_directory))
