"""An import whose process is killed half-way leaves the register as it was, and the same import
can simply be run again (issue 3). Runs the real command in a subprocess and SIGKILLs it."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses POSIX signals")


def _cmd() -> list[str]:
    script = Path(sys.executable).with_name("jiayuan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "jiayuan.cli"]


def _count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names


def test_killed_import_leaves_nothing_and_runs_again(tmp_path):
    db = tmp_path / "kill.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "JIAYUAN_VAR_DIR": str(tmp_path), "JIAYUAN_TASK_BROKER": ""}
    run = lambda *args, **kw: subprocess.run([*_cmd(), *args], env=env, check=True, capture_output=True, timeout=300, **kw)  # noqa: E731
    run("migrate", "--noinput", "-v0")
    csv_path = tmp_path / "city.csv"
    run("gen_city", "--residents", "15000", "--seed", "7", "--out", str(csv_path))
    run("shell", "-c", "from jiayuan.accounts.models import User, RoleAssignment; "
        "u = User.objects.create_user('importer'); RoleAssignment.objects.create(user=u, role='admin')")

    proc = subprocess.Popen([*_cmd(), "import_residents", str(csv_path), "--user", "importer"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until the import is under way ...
        with sqlite3.connect(db) as conn:
            row = conn.execute("SELECT status FROM ledgers_residentimport").fetchone()
        if row and row[0] == "running":
            break
        time.sleep(0.05)
    time.sleep(0.7)  # ... and has written some batches inside its transaction
    assert proc.poll() is None, "the import finished before it could be killed; use a larger file"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    assert _count(db, "residents_resident") == 0
    assert _count(db, "residents_household") == 0
    result = run("import_residents", str(csv_path), "--user", "importer")
    assert b"15000 added" in result.stdout
    assert _count(db, "residents_resident") == 15000
