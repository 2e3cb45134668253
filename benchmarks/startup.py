"""Start-up: ``nuki-sim serve --port 0`` until it answers ``GET /smartlock`` with 200.

Each run starts a fresh process, reads the banner for the URL and the API token, then sends
``GET /smartlock`` (with the token) until it answers 200; the time is from just before the
process was spawned until that answer. The process is then stopped with SIGTERM. The
baseline is the same harness on a bare aiohttp server (a script that imports aiohttp, serves
one ``/smartlock`` route on port 0 and prints its URL): what any aiohttp process costs.
Target: median under 1 s.

``python benchmarks/startup.py`` prints a table; ``--quick`` does 3 runs instead of 7.
Not run by pytest.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import ROOT, Check, Section, median, run_section

TARGET_SECONDS = 1.0
RUNS, QUICK_RUNS = 7, 3
BARE = """
import socket, sys
from aiohttp import web
async def smartlocks(request):
    return web.json_response([])
app = web.Application()
app.router.add_get("/smartlock", smartlocks)
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
print(f"bare aiohttp serving on http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
print("  API token : none", flush=True)
web.run_app(app, sock=sock, print=None, access_log=None)
"""


def sim_command() -> list[str]:
    script = Path(sys.executable).with_name("nuki-sim")
    if script.exists():
        return [str(script), "serve", "--port", "0"]
    found = shutil.which("nuki-sim")
    if found:
        return [found, "serve", "--port", "0"]
    return [sys.executable, "-m", "nuki_sim.simulator", "serve", "--port", "0"]


def time_start(command: list[str], timeout: float = 30.0) -> tuple[float, float]:
    """(seconds until the banner named the URL and token, seconds until GET /smartlock → 200)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(ROOT)
    )
    try:
        url = token = None
        assert proc.stdout is not None
        while not (url and token):
            line = proc.stdout.readline()
            if not line:
                raise RuntimeError(
                    f"{command[0]} exited: {proc.stderr.read() if proc.stderr else ''}"
                )
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{command[0]} printed no URL within {timeout} s")
            found = re.search(r" on (http://\S+)", line)
            url = url or (found.group(1) if found else None)
            found = re.search(r"API token\s*:\s*(\S+)", line)
            token = token or (found.group(1) if found else None)
        banner = time.perf_counter() - started
        host, port = url.removeprefix("http://").rsplit(":", 1)
        while True:
            try:
                conn = http.client.HTTPConnection(host, int(port), timeout=5)
                conn.request("GET", "/smartlock", headers={"Authorization": f"Bearer {token}"})
                status = conn.getresponse().status
                conn.close()
                if status == 200:
                    return banner, time.perf_counter() - started
            except OSError:
                pass
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{command[0]} did not answer 200 within {timeout} s")
            time.sleep(0.005)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def measure(*, quick: bool = False) -> dict:
    runs = QUICK_RUNS if quick else RUNS
    sim, bare = [], []
    for _ in range(runs):  # interleaved, so both see the same machine
        sim.append(time_start(sim_command()))
        bare.append(time_start([sys.executable, "-c", BARE]))
    return {"runs": runs, "sim": sim, "bare": bare, "command": " ".join(sim_command())}


def section(results: dict) -> Section:
    sim_ready = median(r[1] for r in results["sim"])
    bare_ready = median(r[1] for r in results["bare"])
    rows = [
        [
            name,
            f"{median(r[0] for r in runs):.3f} s",
            f"{median(r[1] for r in runs):.3f} s",
            f"{min(r[1] for r in runs):.3f} s",
            f"{max(r[1] for r in runs):.3f} s",
        ]
        for name, runs in (
            ("nuki-sim serve --port 0", results["sim"]),
            ("bare aiohttp", results["bare"]),
        )
    ]
    check = Check(
        name="nuki-sim serve --port 0 → GET /smartlock 200",
        measured=f"{sim_ready:.3f} s (median of {results['runs']})",
        baseline=f"{bare_ready:.3f} s (bare aiohttp)",
        ratio=f"{sim_ready / bare_ready:.2f}",
        target=f"< {TARGET_SECONDS:.0f} s",
        met=sim_ready < TARGET_SECONDS,
    )
    return Section(
        key="startup",
        title="Start-up (process start → first 200)",
        method=__doc__.split("\n\n", 1)[1].split("``python benchmarks")[0].strip(),
        header=["process", "median to banner", "median to 200", "fastest", "slowest"],
        rows=rows,
        checks=[check],
        data=results,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_RUNS} runs")
    args = parser.parse_args(argv)
    print(run_section(lambda: section(measure(quick=args.quick))).text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
