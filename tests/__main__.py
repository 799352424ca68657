"""``python -m tests``: the whole test suite, as README.md and .ci/run call it.

Installs Debian's chromium and the Noto CJK and emoji fonts for the browser test when they are missing (as
root), runs ruff, then pytest. When PostgreSQL answers (SHOPBOT_TEST_DATABASE_URL, or the local default), the
storage, concurrency, deadline and contract tests run on it too, in the same pytest run.

The default run is deterministic (pyproject's addopts: ``-m "not slow"``); ``python -m tests -m slow`` runs the
long ones instead: each benchmark end to end at a tiny size, and the SIGKILL crash tests at full size.

The tests run in parallel (pytest-xdist, ``--dist worksteal``), one worker per CPU. ``SHOPBOT_TEST_WORKERS`` sets
the number of workers (``0`` or ``1``: one process, no workers); ``-n`` on the command line wins over both.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
WORKERS_ENV = "SHOPBOT_TEST_WORKERS"


# Debian packages the browser test needs: the browser, and fonts for Chinese text and emoji in its screenshots.
BROWSER_PACKAGES = {
    "chromium": (Path("/usr/bin/chromium"),),
    "fonts-noto-cjk": (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),),
    "fonts-noto-color-emoji": (Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf"),),
}


def missing_browser_packages() -> list[str]:
    return [name for name, files in BROWSER_PACKAGES.items() if not any(f.exists() for f in files)]


def ensure_chromium() -> None:
    """Install Debian's chromium and the Noto CJK and emoji fonts for the browser test when missing."""
    missing = missing_browser_packages()
    if not missing:
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"tests: {', '.join(missing)} missing, cannot install them here; the browser test will fail", flush=True)
        return
    print(f"tests: installing Debian's {', '.join(missing)} for the browser test …", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    wait = ["-o", "DPkg::Lock::Timeout=600"]  # two runs side by side: the second waits for the first's install
    subprocess.run(["apt-get", *wait, "update", "-qq"], check=True, env=env, stdout=subprocess.DEVNULL)
    install = ["apt-get", *wait, "install", "-y", "-qq", *missing]
    subprocess.run(install, check=True, env=env, stdout=subprocess.DEVNULL)


def postgres_url() -> str | None:
    url = os.environ.get("SHOPBOT_TEST_DATABASE_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return LOCAL_PG
    except OSError:
        return None


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_args(argv: list[str]) -> list[str]:
    """pytest-xdist's options for this run: none when the caller chose ``-n`` or asked for one process."""
    if any(arg in ("-n", "--numprocesses") or arg.startswith(("-n", "--numprocesses=")) for arg in argv):
        return []
    wanted = os.environ.get(WORKERS_ENV, "").strip()
    try:
        workers = int(wanted) if wanted else cpu_count()
    except ValueError:
        raise SystemExit(f"tests: {WORKERS_ENV} must be a whole number, not {wanted!r}") from None
    if workers <= 1:
        return []
    return ["-n", str(workers), "--dist", "worksteal"]


def main(argv: list[str]) -> int:
    os.chdir(ROOT)
    ensure_chromium()
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "."])
    if ruff.returncode:
        return ruff.returncode
    env = dict(os.environ)
    url = postgres_url()
    if url:
        env["SHOPBOT_TEST_DATABASE_URL"] = url
        print(f"tests: PostgreSQL tests run against {url}", flush=True)
    else:
        print("tests: no PostgreSQL reachable; its tests are skipped", flush=True)
    workers = worker_args(argv)
    running = f"{workers[1]} pytest workers" if workers else "pytest in one process"
    print(f"tests: {running} (set {WORKERS_ENV} to change)", flush=True)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", *workers, *argv], env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
