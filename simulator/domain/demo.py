"""The seeded demo world ``nuki-sim serve`` starts on.

Same seed, same world: every name, id, code and time comes from the world's one RNG (Faker is
seeded from it). Every lock has a keypad except the second, so both paths of the type-13
rules can be tried at once. The locks take the models of :data:`MODELS` in turn: the first is
a Smart Lock 3.0 Pro with a Keypad, as every demo lock was before there were models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from faker import Faker

from nuki_sim.simulator.domain.codes import SCOPES, AuthType
from nuki_sim.simulator.domain.model import Account, ApiToken, Auth, Lock, Schedule
from nuki_sim.simulator.domain.world import World

DOORS = (
    "Front Door", "Back Door", "Garage", "Apartment", "Office", "Studio", "Garden Gate",
    "Cellar", "Guest House", "Loft",
)  # fmt: skip
# Zones from Nuki's timezoneId list, so every demo lock reports a real timezoneId.
ZONES = ("Europe/Berlin", "Europe/London", "Europe/Helsinki", "America/New_York", "Europe/Istanbul")
CODE_NAMES = ("Cleaning", "Guest", "Dog walker", "Handyman", "Family", "Neighbour", "Nanny")
MODELS = (
    ("Smart Lock 3.0 Pro", "Keypad"), ("Smart Lock 3.0 Pro", None),
    ("Smart Lock 4.0 Pro", "Keypad 2"), ("Opener", "Keypad"), ("Smart Door", "Keypad 2"),
)  # fmt: skip
"""Each demo lock's (model, keypad) in turn; None: no keypad."""


@dataclass(frozen=True)
class Demo:
    account: Account
    token: ApiToken
    locks: list[Lock]


def build_demo(world: World, *, locks: int = 3, token: str | None = None) -> Demo:
    """Fill ``world`` with one account (a full-scope token) and ``locks`` realistic locks."""
    fake = Faker(["en_US", "de_DE"])
    fake.seed_instance(world.rng.getrandbits(32))
    owner = fake["de_DE"].name()
    account = world.add_account(email=_email(owner), name=owner, language="de")
    api_token = world.add_token(account.account_id, SCOPES, token=token, name="Nuki Web API")
    users = [
        world.add_account_user(account.account_id, email=_email(n), name=n)
        for n in (owner, fake["en_US"].name())
    ]
    made: list[Lock] = []
    for index in range(locks):
        street = fake["de_DE"].street_name()
        door = DOORS[index % len(DOORS)]
        model, keypad = MODELS[index % len(MODELS)]
        lock = world.add_lock(
            account.account_id,
            name=f"{door} {street}"[:32],
            keypad=keypad is not None,
            timezone=ZONES[index % len(ZONES)] if index else "Europe/Berlin",
            model=model,
            keypad_model=keypad,
        )
        for user in users:
            _seed(
                world,
                lock,
                AuthType.APP,
                f"{user.name.split()[0]}'s phone",
                None,
                user.account_user_id,
            )
        if lock.device.keypad_paired:
            used: set[int] = set()
            for _ in range(world.rng.randint(2, 4)):
                code = _code(world, used)
                name = f"{world.rng.choice(CODE_NAMES)} {fake['en_US'].last_name()}"[:20]
                _seed(world, lock, AuthType.KEYPAD_CODE, name, code, None)
        made.append(lock)
    return Demo(account, api_token, made)


def demo_of(world: World) -> Demo:
    """The demo as it stands in ``world`` now: its first account, that account's first
    full-scope token and its locks (after a restore or reset, the objects are new ones)."""
    if not world.accounts:
        raise LookupError("the world has no account")
    account = min(world.accounts.values(), key=lambda a: a.account_id)
    tokens = [t for t in world.tokens.values() if t.account_id == account.account_id]
    token = next((t for t in tokens if t.scopes >= SCOPES), tokens[0])
    locks = [lk for lk in world.locks.values() if lk.account_id == account.account_id]
    return Demo(account, token, locks)


def _seed(
    world: World, lock: Lock, kind: AuthType, name: str, code: int | None, user: int | None
) -> None:
    now = world.now()
    schedule = Schedule()
    if kind == AuthType.KEYPAD_CODE and world.rng.random() < 0.5:
        start = now - timedelta(days=world.rng.randint(0, 3))
        schedule = Schedule(
            allowed_from_date=start.replace(hour=14, minute=0, second=0, microsecond=0),
            allowed_until_date=(start + timedelta(days=world.rng.randint(3, 10))).replace(
                hour=10, minute=0, second=0, microsecond=0
            ),
        )
    world.seed_auth(
        lock,
        Auth(
            id=world.new_id(),
            smartlock_id=lock.smartlock_id,
            auth_id=0,
            type=kind,
            name=name,
            enabled=True,
            remote_allowed=kind == AuthType.APP,
            creation_date=now,
            update_date=now,
            code=code,
            schedule=schedule,
            account_user_id=user,
        ),
    )


def _code(world: World, used: set[int]) -> int:
    while True:
        digits = "".join(str(world.rng.randint(1, 9)) for _ in range(6))
        if not digits.startswith("12") and int(digits) not in used:
            used.add(int(digits))
            return int(digits)


def _email(name: str) -> str:
    local = ".".join(part.lower() for part in name.split() if part.isalpha())
    return f"{local or 'user'}@example.com"
