"""One proof that a @must scenario bites: a broken implementation the kit must reject.

Every module of broken implementations (``tests/kit/broken_*.py``) lists its proofs in a
module-level ``PROOFS`` list; ``tests/kit/test_suite_bites.py`` gathers them all, runs the kit
against each in both time modes, and checks that no @must scenario is left without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Proof:
    """The kit run against ``factory`` must fail ``target`` (and nothing beyond ``collateral``).

    ``factory`` is ``module:attribute`` of an adapter factory (traits suite); ``suite`` says
    which suite to run. ``collateral``: other scenarios that rest on the same behaviour and may
    fail with it. ``args``: extra kit arguments this proof needs (rarely any). ``profile``:
    the cloud behaviour profile the kit runs under (the target must hold under it).
    """

    target: str
    factory: str
    collateral: frozenset[str] = field(default_factory=frozenset)
    suite: str = "traits"
    args: tuple[str, ...] = ()
    profile: str = "seed"

    @property
    def name(self) -> str:
        return self.factory.rpartition(":")[2]
