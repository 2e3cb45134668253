"""The servers the HTTP benchmarks load, each in its own process.

``sim``  the simulator as ``start_simulator`` serves it (all middlewares, the journal, the
         webhook dispatcher, the heartbeat with the system clock), on a world of ``--locks``
         keypad locks; the first ``--code-locks`` of them hold ``--codes`` keypad codes.
``bare`` a bare aiohttp application, no middlewares, on the same routes, answering the same
         JSON: the Smartlock and SmartlockAuth dicts of the same world, computed once at start
         and serialized per request with the simulator's compact ``json.dumps``; its PUT reads
         and decodes the JSON body and answers 204.
``floor`` the bare application whose PUT does the simulator's domain work and nothing else:
         the token, the lock, the body checked into an ``AuthCreate``, the create queued and,
         as due, pushed to the lock (the world's catch-up). No middleware, journal, operation
         table or error shaping: what any simulator of this world must spend on a create.

Each prints one line ``READY {json}`` (port, token, lock ids, RSS before/after building the
world) and serves on 127.0.0.1 until its stdin closes. ``--profile FILE`` runs cProfile from
READY until the end and writes its stats to FILE.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import HOST, SEED, populate, rss_mib


def _stdin_closed(loop: asyncio.AbstractEventLoop, stop: asyncio.Event) -> None:
    def wait() -> None:
        sys.stdin.read()
        loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=wait, daemon=True).start()


def bare_app(locks: list, code_locks: int):  # -> web.Application
    """The baseline: the same routes answering the same JSON, no middlewares, no domain."""
    from aiohttp import web

    from nuki_sim.simulator.domain import wire
    from nuki_sim.simulator.http import respond

    lock_json = {lk.smartlock_id: wire.smartlock(lk) for lk in locks}
    auth_json = {
        lk.smartlock_id: [wire.smartlock_auth(a) for a in lk.cloud.auths.values()]
        for lk in locks[:code_locks]
    }
    routes = web.RouteTableDef()

    @routes.get("/smartlock/{smartlockId:\\d+}")
    async def get_lock(request: web.Request) -> web.Response:
        return respond.json_response(lock_json[int(request.match_info["smartlockId"])])

    @routes.get("/smartlock/{smartlockId:\\d+}/auth")
    async def get_auths(request: web.Request) -> web.Response:
        return respond.json_response(auth_json[int(request.match_info["smartlockId"])])

    @routes.put("/smartlock/{smartlockId:\\d+}/auth")
    async def put_auth(request: web.Request) -> web.Response:
        await request.json()
        return web.Response(status=204)

    app = web.Application()
    app.add_routes(routes)
    return app


def floor_app(world, locks: list, code_locks: int):  # -> web.Application
    """The bare app with the simulator's domain work in its PUT (see the module docstring)."""
    from aiohttp import web

    from nuki_sim.simulator.domain.api import open_session
    from nuki_sim.simulator.http import parse

    app = bare_app(locks, code_locks)

    async def put_auth(request: web.Request) -> web.Response:
        world.catch_up()
        api = open_session(world, request.headers.get("Authorization"))
        lock = api.lock(int(request.match_info["smartlockId"]))
        api.create_auth([lock], parse.auth_create(await request.json()))
        return web.Response(status=204)

    floor = web.Application()
    for route in app.router.routes():
        if route.method != "PUT" and route.method != "HEAD":
            floor.router.add_route(route.method, route.resource.canonical, route.handler)
    floor.router.add_put("/smartlock/{smartlockId:\\d+}/auth", put_auth)
    return floor


async def serve(args: argparse.Namespace) -> None:
    from aiohttp import web

    from nuki_sim.simulator.domain.clock import SystemClock, VirtualClock
    from nuki_sim.simulator.domain.world import World
    from nuki_sim.simulator.http.server import DEFAULT_START, start_simulator

    rss_before = rss_mib()
    started = time.perf_counter()
    clock = SystemClock() if args.clock == "system" else VirtualClock(DEFAULT_START)
    runner: web.AppRunner
    if args.kind == "sim":
        sim = await start_simulator(seed=args.seed, locks=0, clock=clock, host=HOST, port=0)
        world = sim.world
        token = sim.token
        locks = populate(
            world, sim.demo.account.account_id, args.locks, args.code_locks, args.codes
        )
        runner = sim.runner
        port = sim.port
    else:
        from nuki_sim.simulator.domain.demo import build_demo

        world = World(clock, seed=args.seed)
        demo = build_demo(world, locks=0)
        token = demo.token.token
        locks = populate(world, demo.account.account_id, args.locks, args.code_locks, args.codes)
        if args.kind == "floor":
            app = floor_app(world, locks, args.code_locks)
        else:
            app = bare_app(locks, args.code_locks)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        sock = socket.socket(socket.AF_INET)
        sock.bind((HOST, 0))
        await web.SockSite(runner, sock).start()
        port = sock.getsockname()[1]
    build_seconds = time.perf_counter() - started
    gc.collect()
    info = {
        "kind": args.kind,
        "port": port,
        "token": token,
        "locks": [lk.smartlock_id for lk in locks],
        "code_locks": [lk.smartlock_id for lk in locks[: args.code_locks]],
        "auth_count": sum(len(lk.cloud.auths) for lk in world.locks.values()),
        "rss_before_mib": round(rss_before, 1),
        "rss_mib": round(rss_mib(), 1),
        "hwm_mib": round(rss_mib("VmHWM"), 1),
        "build_seconds": round(build_seconds, 3),
    }
    del locks
    stop = asyncio.Event()
    _stdin_closed(asyncio.get_running_loop(), stop)
    profiler = cProfile.Profile() if args.profile else None
    print("READY " + json.dumps(info), flush=True)
    if profiler is not None:
        profiler.enable()
    await stop.wait()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("sim", "bare", "floor"))
    parser.add_argument("--locks", type=int, default=1_000)
    parser.add_argument("--code-locks", type=int, default=0, help="locks that get --codes codes")
    parser.add_argument("--codes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--clock", choices=("system", "virtual"), default="system")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the serving to FILE")
    args = parser.parse_args(argv)
    asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
