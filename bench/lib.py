"""Shared helpers of the benchmark harness: environment, the bench database, subprocesses,
statistics and the machine description. Standard library + psycopg only."""

from __future__ import annotations

import datetime as dt
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
VENV_BIN = REPO / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
JIAYUAN = str(VENV_BIN / "jiayuan")
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/jiayuan_bench"
# var/ is git-ignored: keys, cached CSVs and logs stay out of the repository but stable across runs.
VAR_DIR = Path(os.environ.get("BENCH_VAR_DIR", REPO / "var" / "bench"))


def log(msg: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {msg}", flush=True)


def db_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB_URL)


def admin_url(url: str) -> str:
    """The same server, database ``postgres`` (to create the bench database)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def connect(url: str | None = None, **kwargs) -> psycopg.Connection:
    return psycopg.connect(url or db_url(), **kwargs)


def ensure_database(url: str) -> bool:
    """Create the bench database if missing; True when it was created."""
    name = db_name(url)
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True


def drop_database(url: str) -> None:
    name = db_name(url)
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def jiayuan_env(**extra: str) -> dict[str, str]:
    """Environment of every ``jiayuan`` subprocess: the bench database, the bench var dir (stable
    field key and secret key), production settings (DEBUG off)."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=db_url(),
        JIAYUAN_VAR_DIR=str(VAR_DIR / "jiayuan"),
        DJANGO_DEBUG="0",
        DJANGO_SETTINGS_MODULE="jiayuan.settings",
        JIAYUAN_LOG_LEVEL="WARNING",
    )
    env.pop("JIAYUAN_FIELD_KEY", None)  # the key comes from the bench var dir, same for every process
    env.update(extra)
    return env


def has_command(name: str) -> bool:
    out = subprocess.run([JIAYUAN, "help", "--commands"], env=jiayuan_env(), capture_output=True, text=True)
    return name in out.stdout.split()


def jiayuan(
    *args: str,
    check: bool = True,
    capture: bool = True,
    env_extra: dict | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess:
    cmd = [JIAYUAN, *args]
    proc = subprocess.run(
        cmd,
        env=jiayuan_env(**(env_extra or {})),
        capture_output=capture,
        text=True,
        cwd=REPO,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def django_snippet(task: str, **params: str) -> str:
    """Run a task of ``bench/django_side.py`` inside ``jiayuan shell`` and return its stdout's
    last line (a JSON document)."""
    code = (
        "import runpy, sys; sys.argv = ['django_side']; "
        f"runpy.run_path({str(BENCH_DIR / 'django_side.py')!r}, run_name='__main__')"
    )
    env = {"BENCH_TASK": task, **{f"BENCH_{k.upper()}": str(v) for k, v in params.items()}}
    proc = jiayuan("shell", "-c", code, env_extra=env)
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 60.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


# -- statistics -------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def latency_summary(seconds: list[float]) -> dict:
    ms = [v * 1000 for v in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 3),
        "p95_ms": round(percentile(ms, 95), 3),
        "p99_ms": round(percentile(ms, 99), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "max_ms": round(max(ms), 3),
    }


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return round(a / b, 2)


# -- machine ----------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _git(*args: str) -> str:
    out = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
    return out.stdout.strip()


def code_state() -> dict:
    """The code under test: HEAD and the files changed in the (shared) working tree under jiayuan/."""
    status = subprocess.run(
        ["git", "status", "--porcelain", "--", "jiayuan"], cwd=REPO, capture_output=True, text=True
    )
    changed = [line[3:] for line in status.stdout.splitlines() if line.strip()]
    return {
        "commit": _git("rev-parse", "--short", "HEAD"),
        "jiayuan_tree": _git("rev-parse", "--short", "HEAD:jiayuan"),  # commits outside jiayuan/ do not count
        "changed_files": changed,
    }


def machine() -> dict:
    try:
        with connect() as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
            pg_settings = dict(
                conn.execute(
                    "SELECT name, setting || COALESCE(unit, '') FROM pg_settings WHERE name IN "
                    "('shared_buffers', 'work_mem', 'max_wal_size', 'synchronous_commit', 'fsync')"
                ).fetchall()
            )
    except psycopg.Error as exc:
        pg, pg_settings = f"unavailable ({exc.__class__.__name__})", {}
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gb": _ram_gb(),
        "os": platform.platform(),
        "postgresql": pg,
        "postgresql_settings": pg_settings,
        "python": platform.python_version(),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
    }
