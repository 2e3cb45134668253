"""nuki-sim installs one import name, ``nuki_sim``, and stays out of its users' way.

A project with its own ``adapters``, ``features``, ``conformance`` and ``simulator`` packages
(common names) installs the wheel and still runs its own tests, with nuki-sim's pytest plugins
loaded, and ``nuki-conformance``. The wheel is built once, from a copy of the sources without
the ``nuki_sim/`` links (as a checkout without symbolic links, on Windows, would build it), and
installed without dependencies into a fresh virtual environment that borrows this one's
site-packages: fast, and no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("simulator", "adapters", "conformance", "features")  # each installed as nuki_sim.<it>
SHIPPED = ("*.py", "py.typed", "*.feature", "static/*")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX virtual environments")


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    (source / "nuki_sim").mkdir()
    for path in [*(ROOT / "nuki_sim").glob("*.py"), ROOT / "nuki_sim" / "py.typed"]:
        shutil.copy2(path, source / "nuki_sim" / path.name)  # the links are left behind
    for folder in FOLDERS:
        shutil.copytree(
            ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__")
        )
    out = tmp_path_factory.mktemp("dist")
    isolation = [] if int(version("setuptools").split(".")[0]) < 77 else ["--no-build-isolation"]
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        *isolation,
        ".",
        "-w",
        out,
        cwd=source,
    )
    [built] = out.glob("nuki_sim-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new environment holding the wheel; its dependencies come from this environment."""
    home = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--without-pip", home, cwd=home)
    python = home / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=home)
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    # A plain path line: this environment's .pth files (an editable nuki-sim's import hook) stay
    # out, and the new environment's own site-packages, with the wheel, comes first.
    (Path(purelib.strip()) / "borrowed.pth").write_text("\n".join(sorted(ours)) + "\n")
    pip = (sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps")
    run(*pip, "--no-index", wheel, cwd=home)
    return home


def test_the_wheel_holds_nuki_sim_alone_and_all_of_it(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {n.split("/")[0] for n in names} == {
        "nuki_sim",
        wheel.name.split("-py")[0] + ".dist-info",
    }
    expected = {"nuki_sim/py.typed"} | {  # with the nuki-sim program, nuki_sim/cli.py
        f"nuki_sim/{p.name}" for p in (ROOT / "nuki_sim").glob("*.py")
    }
    for folder in FOLDERS:
        for pattern in SHIPPED:
            expected |= {
                "nuki_sim/" + p.relative_to(ROOT).as_posix()
                for p in (ROOT / folder).rglob(pattern)
                if "__pycache__" not in p.parts
            }
    missing = sorted(expected - names)
    assert not missing, f"not in the wheel (a package missing from pyproject.toml?): {missing}"
    meta = {n.rsplit("/", 1)[-1]: n for n in names if ".dist-info/" in n}
    entry_points = zipfile.ZipFile(wheel).read(meta["entry_points.txt"]).decode()
    targets = [line.split("=", 1)[1].strip() for line in entry_points.splitlines() if "=" in line]
    assert targets, entry_points
    assert all(t.startswith("nuki_sim.") for t in targets), entry_points


def test_a_project_with_the_same_package_names_runs_its_tests_and_the_kit(
    venv: Path, tmp_path: Path
) -> None:
    project = tmp_path / "acme"
    for folder in FOLDERS:
        (project / folder).mkdir(parents=True)
        (project / folder / "__init__.py").write_text(f'WHOSE = "acme {folder}"\n')
    (project / "adapters" / "clock.py").write_text('def now() -> str:\n    return "acme time"\n')
    (project / "tests").mkdir()
    (project / "tests" / "test_acme.py").write_text(
        textwrap.dedent(
            """
            import adapters, conformance, features, simulator
            import pytest
            from adapters.clock import now

            from nuki_sim.simulator import SimConfig


            def test_our_own_packages():
                assert now() == "acme time"
                names = [m.WHOSE for m in (adapters, conformance, features, simulator)]
                assert names == ["acme adapters", "acme conformance", "acme features", "acme simulator"]


            @pytest.mark.asyncio
            @pytest.mark.nuki_sim(locks=1, config=SimConfig(push_delay=0))
            async def test_the_nuki_sim_fixture(nuki_sim):
                assert len(nuki_sim.demo.locks) == 1
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": str(project)}  # the project's packages first, always
    env.pop("PYTEST_ADDOPTS", None)
    env.pop("PYTEST_XDIST_WORKER", None)
    bin_dir = venv / "bin"
    out = run(
        bin_dir / "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        cwd=project,
        env=env,
    )
    assert "2 passed" in out, out
    reports = tmp_path / "report"
    out = run(
        bin_dir / "nuki-conformance",
        "--suite",
        "traits",
        "-q",
        "--report-dir",
        reports,
        cwd=project,
        env=env,
    )
    assert (reports / "junit.xml").is_file(), out


def test_each_module_is_loaded_under_its_one_name_and_the_plugins_load_little() -> None:
    """No module under two names (class identity), and the plugins stay cheap to load.

    Every pytest session where nuki-sim is installed loads its plugins: they import no more
    than pytest, pytest-bdd and pytest-asyncio load anyway; aiohttp waits for a simulator.
    """
    code = textwrap.dedent(
        """
        import pkgutil, sys
        import pytest, pytest_asyncio, pytest_bdd.scenario
        import nuki_sim.conformance.plugin as kit, nuki_sim.simulator.pytest_plugin
        for name in kit.pytest_plugins:
            __import__(name)
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("aiohttp", "yarl", "faker"))
        assert not heavy, heavy
        import nuki_sim
        for info in pkgutil.walk_packages(nuki_sim.__path__, "nuki_sim."):
            if ".suite." not in info.name and not info.name.endswith("__main__"):
                __import__(info.name)  # (the suites are test modules: pytest collects them)
        tops = {"simulator", "adapters", "conformance", "features"}
        twice = sorted(m for m in sys.modules if m.split(".")[0] in tops)
        assert not twice, twice
        print(len([m for m in sys.modules if m.startswith("nuki_sim.")]))
        """
    )
    out = run(sys.executable, "-c", code, cwd=ROOT)
    assert int(out) > 60, out
