"""``Session`` is built from one mixin per area of the API: none may hide another's names."""

from __future__ import annotations

from nuki_sim.simulator.domain.api import Session


def test_no_two_areas_define_the_same_name() -> None:
    """Two mixins with the same helper name would make one silently call the other's."""
    owners: dict[str, str] = {}
    clashes = []
    for base in Session.__mro__[1:-1]:  # every area, without Session itself and object
        for name in vars(base):
            if name.startswith("__"):
                continue
            if name in owners:
                clashes.append(f"{name}: {owners[name]} and {base.__name__}")
            owners.setdefault(name, base.__name__)
    assert clashes == []
