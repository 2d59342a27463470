"""``jiayuan serve``: the web app on waitress plus a huey worker, in one command.

One process tree is enough for the demo and for a small site: waitress (pure Python, any OS)
serves ``jiayuan.wsgi.application`` and a child process runs the huey consumer, so queued
background work (imports, reminders, sweeps) is picked up without a second terminal. A city
deployment runs several of these with ``--no-worker`` and separate ``jiayuan run_huey`` hosts
(see docs/deployment.md).

One Ctrl-C (SIGINT) or SIGTERM stops both: the server closes, the worker is asked to finish its
current task (SIGINT, huey's graceful stop), is terminated if it takes too long, and the command
exits 0.
"""

import os
import signal
import subprocess
import sys
import threading
import time

from django.core.management.base import BaseCommand, CommandError

# How long the worker may take to finish its current task after the graceful signal.
WORKER_GRACE_SECONDS = 10


def _die_with_parent() -> None:
    """In the worker child (Linux only): get SIGTERM if ``serve`` itself dies without cleaning up."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = "Serve Jiayuan with waitress and run the huey background worker alongside."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument(
            "--port",
            type=int,
            default=int(os.environ.get("PORT") or 8000),
            help="port to listen on (default: $PORT or 8000)",
        )
        parser.add_argument("--threads", type=int, default=8, help="waitress worker threads (default 8)")
        parser.add_argument("--workers", type=int, default=2, help="huey worker threads (default 2)")
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a huey worker (when dedicated hosts run `jiayuan run_huey`)",
        )

    def handle(self, *args, **options):
        from waitress import create_server

        from jiayuan.wsgi import application

        host, port = options["host"], options["port"]
        try:
            server = create_server(
                application, host=host, port=port, threads=options["threads"], ident="jiayuan"
            )
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc}") from exc

        worker = None if options["no_worker"] else self._start_worker(options["workers"])
        stopping = threading.Event()
        worker_failed = threading.Event()

        def on_signal(signum, frame):
            # waitress's run() turns KeyboardInterrupt into a clean close of its sockets and threads.
            stopping.set()
            raise KeyboardInterrupt

        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        if worker is not None:
            threading.Thread(
                target=self._watch_worker, args=(worker, stopping, worker_failed), daemon=True
            ).start()

        url_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            f"Jiayuan is serving on http://{url_host}:{server.effective_port}/  (Ctrl-C to stop)"
        )
        sys.stdout.flush()
        try:
            server.run()
        finally:
            stopping.set()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            server.close()
            if worker is not None:
                self._stop_worker(worker)
        if worker_failed.is_set():
            raise CommandError("the huey worker exited unexpectedly; stopped the server too")
        self.stdout.write("Jiayuan stopped.")

    def _start_worker(self, workers: int) -> subprocess.Popen:
        cmd = [sys.executable, "-m", "jiayuan.cli", "run_huey", "--workers", str(workers)]
        kwargs = {}
        if os.name == "posix":
            # Own process group: a terminal's Ctrl-C reaches only us, and we stop the worker in order.
            kwargs["start_new_session"] = True
            if sys.platform.startswith("linux"):
                kwargs["preexec_fn"] = _die_with_parent
        worker = subprocess.Popen(cmd, **kwargs)  # noqa: S603 - fixed command line
        self.stdout.write(f"Background worker (huey) started, pid {worker.pid}")
        return worker

    def _watch_worker(self, worker, stopping, worker_failed) -> None:
        """Stop serving if the worker dies on its own: queued work would silently never run."""
        worker.wait()
        if not stopping.is_set():
            worker_failed.set()
            self.stderr.write(f"Background worker exited with code {worker.returncode}; stopping.")
            os.kill(os.getpid(), signal.SIGTERM)

    def _stop_worker(self, worker: subprocess.Popen) -> None:
        if worker.poll() is not None:
            return
        worker.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)
        deadline = time.monotonic() + WORKER_GRACE_SECONDS
        while worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=5)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
