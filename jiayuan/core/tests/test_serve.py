"""``jiayuan serve`` really serves, really starts the huey worker, and one SIGINT stops both.

Runs the command as a user would, in a subprocess with its own SQLite database and var/ folder,
so nothing here touches the test database or the developer's demo data.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses POSIX signals")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _jiayuan_command() -> list[str]:
    script = Path(sys.executable).with_name("jiayuan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "jiayuan.cli"]


def _alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie."""
    if Path("/proc/self").exists():
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except FileNotFoundError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _parent_of(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (FileNotFoundError, IndexError, ValueError):
        return None


def test_serve_answers_runs_worker_and_stops_on_sigint(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": "sqlite:///{}".format(tmp_path / "serve.sqlite3"),
        "JIAYUAN_VAR_DIR": str(tmp_path),
        "JIAYUAN_TASK_BROKER": "",  # embedded SQLite queue in tmp_path
        "PORT": str(port),
    }
    env.pop("JIAYUAN_CACHE_URL", None)
    cmd = _jiayuan_command()
    subprocess.run([*cmd, "migrate", "--noinput", "-v0"], env=env, check=True, timeout=60)

    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen([*cmd, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)
    worker_pid = None
    try:
        body, deadline = None, time.monotonic() + 15
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    assert resp.status == 200
                    body = json.loads(resp.read())
                    break
            except OSError:
                time.sleep(0.2)
        log_text = log_path.read_text(errors="replace")
        assert body == {"status": "ok"}, log_text
        assert f"http://127.0.0.1:{port}/" in log_text

        match = re.search(r"worker \(huey\) started, pid (\d+)", log_text)
        assert match, log_text
        worker_pid = int(match.group(1))
        assert _alive(worker_pid)
        if Path("/proc").is_dir():
            assert _parent_of(worker_pid) == server.pid
            assert "run_huey" in Path(f"/proc/{worker_pid}/cmdline").read_text()

        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=20) == 0, log_path.read_text(errors="replace")
        deadline = time.monotonic() + 2
        while _alive(worker_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker_pid), "huey worker outlived serve"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        if worker_pid and _alive(worker_pid):
            os.kill(worker_pid, signal.SIGKILL)
