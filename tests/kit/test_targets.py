"""The same suite, through every way of plugging an implementation in.

* ``--adapter-url``: the reference adapter served as the JSON trait API by a real
  ``nuki-sim adapter serve`` process, in front of a real ``nuki-sim serve`` process whose
  control plane the kit drives (``--nuki-url``);
* pytest-xdist: two workers, each with its own simulator, give the results of a serial run.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

BANNER_LINES = 12
TIMEOUT = 20


@contextmanager
def process(*args: str) -> Iterator[list[str]]:
    """Run ``nuki-sim ...`` and yield its first banner lines; always stopped afterwards."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "nuki_sim", *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        while len(lines) < 2:
            line = proc.stdout.readline()
            assert line, f"nuki-sim {' '.join(args)} ended early: {lines}"
            lines.append(line.rstrip())
        yield lines
    finally:
        proc.terminate()
        proc.communicate(timeout=TIMEOUT)  # drains and closes the pipe


def test_the_suite_passes_over_the_json_trait_api(run_kit) -> None:  # type: ignore[no-untyped-def]
    """Through --adapter-url every scenario passes, except the one needing the adapter's clock,
    which is skipped with its reason."""
    with process("serve", "--clock", "virtual", "--port", "0") as sim:
        nuki_url = re.search(r"on (http://\S+)", sim[0]).group(1)  # type: ignore[union-attr]
        token = sim[1].split(":", 1)[1].strip()
        with process(
            "adapter", "serve", "--nuki-url", nuki_url, "--token", token, "--port", "0"
        ) as adapter:
            adapter_url = re.search(r"on (http://\S+)", adapter[0]).group(1)  # type: ignore[union-attr]
            run = run_kit(
                "traits",
                f"--adapter-url={adapter_url}",
                f"--nuki-url={nuki_url}",
                f"--token={token}",
            )

    assert run.code == 0, run.output[-3000:]
    assert {sid for sid, status in run.results.items() if status == "skipped"} == {
        "traits.actions.timeout"
    }
    assert {status for sid, status in run.results.items() if sid != "traits.actions.timeout"} == {
        "passed"
    }


@pytest.mark.parametrize("suite", ["traits", "nuki_web"])
def test_xdist_workers_give_the_results_of_a_serial_run(run_kit, suite: str) -> None:  # type: ignore[no-untyped-def]
    """Sharded over two workers (each with its own simulator), the results equal a serial run."""
    serial = run_kit(suite)
    sharded = run_kit(suite, "-n", "2")

    assert sharded.code == 0, sharded.output[-3000:]
    assert sharded.results == serial.results
