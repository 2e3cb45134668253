"""Fixtures of the webhook tests: real receivers on 127.0.0.1.

A test lists its receivers before ``api``/``nuki_sim``: fixtures are set up in argument
order and torn down in reverse, so the simulator stops sending before its receivers go
down (a POST racing a closing receiver would leave a socket behind for the next test).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest_asyncio

from tests.webhooks.receiver import Receiver


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[Receiver]:
    """One receiver, up and answering 200."""
    async with Receiver() as one:
        yield one


@pytest_asyncio.fixture
async def make_receiver() -> AsyncIterator[Callable[[], Awaitable[Receiver]]]:
    """A factory for more receivers (each on its own port), all taken down after the test."""
    started: list[Receiver] = []

    async def make() -> Receiver:
        one = Receiver()
        await one.up()
        started.append(one)
        return one

    yield make
    for one in started:
        if one.is_up:
            await one.down()
