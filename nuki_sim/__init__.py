"""nuki-sim's one import namespace: ``nuki_sim.simulator``, ``nuki_sim.adapters``,
``nuki_sim.conformance`` and ``nuki_sim.features``.

The repository keeps its four top-level folders; the subpackages here are symbolic links to
them (for mypy and for pytest run from the repository root), and ``package-dir`` in
pyproject.toml maps the same names for wheels and editable installs, so a build never depends
on the links. Nothing is imported here: the pytest plugins load this package in every session.
"""
