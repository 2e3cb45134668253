"""Shared pieces of the benchmarks: worlds, a Python load generator, server processes, reports.

Everything here runs with the project's own dependencies (aiohttp and the standard library),
so ``python benchmarks/run_all.py`` works wherever the simulator does. Load only ever goes to
``127.0.0.1`` and every run is bounded both in requests and in seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
SEED = 20260105
BENCH_DIR = Path(__file__).resolve().parent

# --- keypad codes ---------------------------------------------------------------------------

_VALID_CODES = 9**6 - 9**4  # six digits 1-9, not starting with "12"


@functools.lru_cache(maxsize=4096)
def keypad_code(index: int) -> int:
    """The ``index``-th valid Nuki keypad code (six digits 1-9, never starting with 12).

    Codes are the six-digit base-9 numbers with digits shifted to 1-9, in order; the block
    ``12xxxx`` (base-9 values 9**4 up to 2 * 9**4) is left out.
    """
    if not 0 <= index < _VALID_CODES:
        raise ValueError(f"only {_VALID_CODES} keypad codes exist")
    n = index if index < 9**4 else index + 9**4
    digits = []
    for _ in range(6):
        n, digit = divmod(n, 9)
        digits.append(str(digit + 1))
    return int("".join(reversed(digits)))


# --- worlds ---------------------------------------------------------------------------------


def seed_codes(world: Any, lock: Any, count: int) -> None:
    """Put ``count`` keypad codes on ``lock`` (device and cloud copy), half with a date window,
    as the demo world seeds them."""
    from nuki_sim.simulator.domain.codes import AuthType
    from nuki_sim.simulator.domain.model import Auth, Schedule

    now = world.now()
    always = Schedule()
    for j in range(count):
        if j % 2:
            start = (now - timedelta(days=j % 4)).replace(hour=14, minute=0, second=0)
            schedule = Schedule(
                allowed_from_date=start,
                allowed_until_date=(start + timedelta(days=3 + j % 7)).replace(hour=10),
            )
        else:
            schedule = always
        world.seed_auth(
            lock,
            Auth(
                id=world.new_id(),
                smartlock_id=lock.smartlock_id,
                auth_id=0,
                type=AuthType.KEYPAD_CODE,
                name=f"Guest {j}",
                enabled=True,
                remote_allowed=False,
                creation_date=now,
                update_date=now,
                code=keypad_code(j),
                schedule=schedule,
            ),
        )


def populate(world: Any, account_id: int, locks: int, code_locks: int, codes: int) -> list[Any]:
    """Add ``locks`` keypad locks to ``account_id``; the first ``code_locks`` get ``codes``
    keypad codes each. Returns the new locks in order."""
    made = []
    for index in range(locks):
        lock = world.add_lock(account_id, name=f"Lock {index}", keypad=True)
        if index < code_locks:
            seed_codes(world, lock, codes)
        made.append(lock)
    return made


# --- process facts --------------------------------------------------------------------------


def rss_mib(field_name: str = "VmRSS") -> float:
    """This process's resident memory (``VmRSS``) or its peak (``VmHWM``) in MiB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) process ``pid`` has used so far, in seconds."""
    try:  # nanoseconds on the CPU, all threads of the main task's group: precise
        total = 0
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += int((task / "schedstat").read_text().split()[0])
        if total > 0:  # 0 when the kernel keeps no schedstats
            return total / 1e9
    except (OSError, ValueError):
        pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return float("nan")


def cpus() -> list[int]:
    try:
        return sorted(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return list(range(os.cpu_count() or 1))


def pin(pid: int, cpu: int | None) -> None:
    """Pin ``pid`` to one CPU (server on one, load generator on another), where possible."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        return
    with contextlib.suppress(OSError):
        os.sched_setaffinity(pid, {cpu})


@contextlib.contextmanager
def pinned(cpu: int | None) -> Iterator[None]:
    """Pin this process (the load generator) to ``cpu`` for the block, then restore."""
    if cpu is None or not hasattr(os, "sched_setaffinity"):
        yield
        return
    before = os.sched_getaffinity(0)
    pin(0, cpu)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def placement() -> tuple[int | None, int | None]:
    """(server CPU, client CPU): two different CPUs when there are two, else no pinning."""
    available = cpus()
    if len(available) >= 2:
        return available[0], available[1]
    return None, None


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    import aiohttp

    parser = "C" if _aiohttp_c_parser() else "pure Python"
    return {
        "CPU": model,
        "Cores": f"{os.cpu_count()} logical ({len(cpus())} usable by this process)",
        "Memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "aiohttp": f"{aiohttp.__version__} ({parser} HTTP parser)",
        "Event loop": "asyncio default (no uvloop), as `nuki-sim serve` runs",
        "Load average at start": _loadavg(),
    }


def _loadavg() -> str:
    try:
        one, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
    except (OSError, ValueError):
        return "unknown"
    return f"{one} / {five} / {fifteen} (1 / 5 / 15 min; other work on the machine competes)"


def _aiohttp_c_parser() -> bool:
    try:
        from aiohttp import http_parser

        return "_http_parser" in http_parser.HttpRequestParser.__module__
    except Exception:
        return False


# --- server processes -----------------------------------------------------------------------


class ServerProcess:
    """``benchmarks/servers.py`` in a child process; ``info`` is its one JSON ready line."""

    def __init__(self, *args: str, cpu: int | None = None, timeout: float = 120.0) -> None:
        command = [sys.executable, str(BENCH_DIR / "servers.py"), *args]
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=str(ROOT)
        )
        pin(self.proc.pid, cpu)
        self.info: dict[str, Any] = {}
        deadline = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("READY "):
                self.info = json.loads(line[6:])
                break
        if not self.info:
            self.stop()
            raise RuntimeError(f"server {' '.join(args)} did not get ready")

    @property
    def port(self) -> int:
        return int(self.info["port"])

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            with contextlib.suppress(OSError):
                self.proc.stdin.close()  # the server stops when its stdin closes
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- the load generator ---------------------------------------------------------------------

RequestMaker = Callable[[int], bytes]


def get_request(path: str, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n{auth}\r\n".encode()


def put_request(path: str, body: bytes, token: str | None = None) -> bytes:
    auth = f"Authorization: Bearer {token}\r\n" if token else ""
    return (
        f"PUT {path} HTTP/1.1\r\nHost: {HOST}\r\n{auth}Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


@dataclass
class LoadResult:
    requests: int
    seconds: float
    statuses: Counter[int]
    latencies: list[float] = field(repr=False)
    errors: int = 0

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """Latency percentile in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
        return ordered[k] * 1000


class _Load:
    def __init__(self, make: RequestMaker, start: int, limit: int, deadline: float, keep: bool):
        self.make = make
        self.next = start
        self.end = start + limit
        self.deadline = deadline
        self.keep = keep
        self.done = 0
        self.statuses: Counter[int] = Counter()
        self.latencies: list[float] = []
        self.errors = 0

    def take(self) -> int | None:
        if self.next >= self.end or time.perf_counter() >= self.deadline:
            return None
        index = self.next
        self.next += 1
        return index


class _Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection with one request in flight (no pipelining).

    Parses just enough of each answer (status, Content-Length) to know where it ends, so
    the client spends far less CPU per request than the server it measures.
    """

    def __init__(self, load: _Load, finished: asyncio.Future[None]) -> None:
        self.load = load
        self.finished = finished
        self.buffer = bytearray()
        self.sent_at = 0.0
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self._send()

    def _send(self) -> None:
        index = self.load.take()
        if index is None:
            self._finish()
            return
        self.sent_at = time.perf_counter()
        assert self.transport is not None
        self.transport.write(self.load.make(index))

    def _finish(self) -> None:
        if self.transport is not None:
            self.transport.close()
        if not self.finished.done():
            self.finished.set_result(None)

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buffer[:end]).lower()
            at = head.find(b"\r\ncontent-length:")
            if at >= 0:
                stop = head.find(b"\r\n", at + 2)
                length = int(head[at + 17 : stop if stop >= 0 else None])
            elif b"transfer-encoding: chunked" in head:
                raise RuntimeError("chunked answers are not supported by this load generator")
            else:
                length = 0
            total = end + 4 + length
            if len(buffer) < total:
                return
            status = int(head[9:12])
            del buffer[:total]
            load = self.load
            load.done += 1
            load.statuses[status] += 1
            if load.keep:
                load.latencies.append(time.perf_counter() - self.sent_at)
            self._send()

    def connection_lost(self, exc: Exception | None) -> None:
        if exc is not None:
            self.load.errors += 1
        if not self.finished.done():
            self.finished.set_result(None)


async def _drive(
    port: int,
    make: RequestMaker,
    connections: int,
    seconds: float,
    limit: int,
    start: int,
    keep: bool,
) -> LoadResult:
    loop = asyncio.get_running_loop()
    began = time.perf_counter()
    load = _Load(make, start, limit, began + seconds, keep)
    futures = []
    for _ in range(connections):
        finished: asyncio.Future[None] = loop.create_future()
        futures.append(finished)
        await loop.create_connection(lambda f=finished: _Connection(load, f), HOST, port)
    await asyncio.wait_for(asyncio.gather(*futures), timeout=seconds + 30)
    elapsed = time.perf_counter() - began
    return LoadResult(load.done, elapsed, load.statuses, load.latencies, load.errors)


def generate_load(
    port: int,
    make: RequestMaker,
    *,
    connections: int = 16,
    seconds: float = 3.0,
    limit: int = 1_000_000,
    start: int = 0,
    keep_latencies: bool = True,
) -> LoadResult:
    """Send requests ``make(start)``, ``make(start + 1)``, ... over ``connections`` keep-alive
    connections to ``127.0.0.1:port`` until ``seconds`` passed or ``limit`` were sent."""
    return asyncio.run(_drive(port, make, connections, seconds, limit, start, keep_latencies))


# --- reporting ------------------------------------------------------------------------------


@dataclass
class Check:
    """One target: what was measured, against what, and whether the target is met."""

    name: str
    measured: str
    baseline: str
    ratio: str
    target: str
    met: bool | None  # None: reported, no target

    @property
    def verdict(self) -> str:
        return "—" if self.met is None else ("MET" if self.met else "NOT MET")


@dataclass
class Section:
    """One benchmark's results: a detail table, its checks, and notes (method, profiles)."""

    key: str
    title: str
    method: str
    header: list[str]
    rows: list[list[str]]
    checks: list[Check]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)

    def text(self) -> str:
        lines = [f"== {self.title} ==", format_table(self.header, self.rows, markdown=False)]
        if self.checks:
            lines.append("")
            lines.append(
                format_table(
                    ["check", "measured", "baseline", "ratio", "target", "verdict"],
                    [
                        [c.name, c.measured, c.baseline, c.ratio, c.target, c.verdict]
                        for c in self.checks
                    ],
                    markdown=False,
                )
            )
        for note in self.notes:
            lines.append("")
            lines.append(note)
        lines.append(f"({self.seconds:.1f} s)")
        return "\n".join(lines)


def format_table(header: list[str], rows: Iterable[list[str]], *, markdown: bool) -> str:
    rows = [list(map(str, r)) for r in rows]
    if markdown:
        out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        return "\n".join(out)
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)
    ]
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def fmt_rate(value: float) -> str:
    return f"{value:,.0f} req/s"


def fmt_ms(value: float) -> str:
    return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"


def run_section(build: Callable[[], Section]) -> Section:
    started = time.perf_counter()
    section = build()
    section.seconds = time.perf_counter() - started
    return section
