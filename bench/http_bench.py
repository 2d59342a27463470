"""Benchmarks 2 (grid worker's resident list) and 3 (search) over HTTP.

The production server is ``jiayuan serve --no-worker`` (waitress, 8 threads, DEBUG off) on the
bench database. The client is this process: one keep-alive ``http.client`` connection on
loopback, sequential requests, wall time from sending the request to the last byte read.
"""

from __future__ import annotations

import csv
import http.client
import json
import random
import signal
import subprocess
import time
from pathlib import Path

import lib
import psycopg

THREADS = 8


class Server:
    """A child process serving HTTP on a free port; stopped with SIGINT (graceful)."""

    def __init__(self, cmd: list[str], name: str, env: dict | None = None):
        self.port = lib.free_port()
        self.name = name
        log_path = lib.VAR_DIR / "logs" / f"{name}.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            [*cmd, "--port", str(self.port)],
            env=env or lib.jiayuan_env(),
            cwd=lib.REPO,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        lib.wait_port(self.port, proc=self.proc)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def jiayuan_server() -> Server:
    return Server([lib.JIAYUAN, "serve", "--no-worker", "--threads", str(THREADS)], "jiayuan-serve")


def bare_server(sql_file: Path) -> Server:
    env = lib.jiayuan_env(BENCH_DATABASE_URL=lib.db_url())
    return Server(
        [lib.PYTHON, str(lib.BENCH_DIR / "bare_wsgi.py"), "--threads", str(THREADS), "--sql", str(sql_file)],
        "bare-wsgi",
        env=env,
    )


class Client:
    def __init__(self, port: int, token: str | None = None):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {"Accept": "application/json", "Accept-Language": "zh-hans"}
        if token:
            self.headers["Authorization"] = f"Token {token}"

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes, float]:
        headers = dict(self.headers)
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        self.conn.request(method, path, body=data, headers=headers)
        resp = self.conn.getresponse()
        payload = resp.read()
        elapsed = time.perf_counter() - start
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return resp.status, payload, elapsed

    def close(self) -> None:
        self.conn.close()


def get_token(port: int, username: str, password: str) -> str:
    client = Client(port)
    status, payload, _ = client.request(
        "POST", "/api/v1/auth/token/", {"username": username, "password": password}
    )
    client.close()
    if status != 200:
        raise RuntimeError(f"token for {username}: HTTP {status} {payload[:200]!r}")
    return json.loads(payload)["token"]


def timed_gets(port: int, token: str, paths: list[str], warmup: list[str]) -> tuple[list[float], dict]:
    """GET each warm-up path (untimed), then each path (timed); returns the times and the first
    timed response parsed (anything but HTTP 200 aborts)."""
    client = Client(port, token)
    try:
        for path in warmup:
            status, payload, _ = client.request("GET", path)
            if status != 200:
                raise RuntimeError(f"GET {path}: HTTP {status} {payload[:300]!r}")
        times, first = [], None
        for path in paths:
            status, payload, elapsed = client.request("GET", path)
            if status != 200:
                raise RuntimeError(f"GET {path}: HTTP {status} {payload[:300]!r}")
            times.append(elapsed)
            first = first or payload
    finally:
        client.close()
    return times, json.loads(first)


# -- benchmark 2 ------------------------------------------------------------------------------


def split_captured(captured: dict, grid_code: str) -> dict:
    """Pick the data queries (count, page, tags prefetch) out of the captured request."""
    out: dict = {"pattern": grid_code + "%", "other": []}
    for q in captured["queries"]:
        sql = q["sql"]
        if 'FROM "residents_residenttag"' in sql:
            out["tags"] = q
        elif 'FROM "residents_resident"' in sql and "COUNT(*)" in sql:
            out["count"] = q
        elif 'FROM "residents_resident"' in sql and "LIMIT" in sql:
            out["page"] = q
        else:
            out["other"].append(q)
    missing = [k for k in ("count", "page", "tags") if k not in out]
    if missing:
        raise RuntimeError(f"captured list request lacks the {missing} query: {captured['queries']}")
    if out["pattern"] not in out["page"]["params"]:
        raise RuntimeError(
            f"scope parameter {out['pattern']!r} not among the page query's {out['page']['params']}"
        )
    return out


def sql_baseline(sql: dict, warmup: int, n: int) -> dict:
    """The list's three data queries through psycopg in this process (fetch all rows)."""
    steps = [
        (sql["count"]["sql"], sql["count"]["params"]),
        (sql["page"]["sql"], sql["page"]["params"]),
        (sql["tags"]["sql"], sql["tags"]["params"]),
    ]
    times = []
    with psycopg.connect(lib.db_url(), autocommit=True) as conn:
        cur = conn.cursor()
        for i in range(warmup + n):
            start = time.perf_counter()
            for q, params in steps:
                cur.execute(q, params)
                cur.fetchall()
            if i >= warmup:
                times.append(time.perf_counter() - start)
    return lib.latency_summary(times)


def run_list(*, users: dict, password: str, warmup: int, n: int) -> dict:
    result: dict = {
        "grid_code": users["grid_code"],
        "grid_residents": users["grid_residents"],
        "warmup": warmup,
        "n": n,
        "threads": THREADS,
    }
    captured = json.loads(lib.django_snippet("capture", user="benchgrid", path="/api/v1/residents/"))
    if captured["status"] != 200:
        raise RuntimeError(f"captured request: HTTP {captured['status']}")
    sql = split_captured(captured, users["grid_code"])
    result["queries_per_request"] = len(captured["queries"])
    result["sql"] = {k: sql[k] for k in ("count", "page", "tags")}
    result["other_queries"] = [q["sql"] for q in sql["other"]]
    sql_file = lib.VAR_DIR / "list_sql.json"
    sql_file.write_text(json.dumps(sql, ensure_ascii=False, default=str))

    lib.log(
        f"list: grid {users['grid_code']} ({users['grid_residents']} active residents); "
        f"{len(captured['queries'])} queries per request"
    )
    path = "/api/v1/residents/"
    with jiayuan_server() as srv:
        token = get_token(srv.port, "benchgrid", password)
        times, first = timed_gets(srv.port, token, [path] * n, [path] * warmup)
        result["framework"] = lib.latency_summary(times)
        result["framework_count"] = first["count"]
        result["framework_results"] = len(first["results"])
    lib.log(f"  framework: {result['framework']}")
    with bare_server(sql_file) as srv:
        times, bare_first = timed_gets(srv.port, token, [path] * n, [path] * warmup)
        result["bare"] = lib.latency_summary(times)
        result["bare_count"] = bare_first["count"]
        same = [r["id"] for r in bare_first["results"]] == [r["id"] for r in first["results"]]
        result["bare_same_ids"] = same
        result["bare_same_body"] = bare_first["results"] == first["results"]
        if not result["bare_same_body"] and first["results"]:
            a, b = first["results"][0], bare_first["results"][0] if bare_first["results"] else {}
            result["bare_body_diff"] = {k: [a.get(k), b.get(k)] for k in a if a.get(k) != b.get(k)}
    lib.log(f"  bare WSGI: {result['bare']} (same rows: {same}, same JSON: {result['bare_same_body']})")
    result["sql_only"] = sql_baseline(sql, warmup, n)
    lib.log(f"  plain SQL: {result['sql_only']}")
    p95 = result["framework"]["p95_ms"]
    result["ratio_framework_bare_p95"] = lib.ratio(p95, result["bare"]["p95_ms"])
    result["ratio_framework_sql_p95"] = lib.ratio(p95, result["sql_only"]["p95_ms"])
    return result


# -- benchmark 3 ------------------------------------------------------------------------------


def search_inputs(csv_path: Path, n: int, seed: int) -> tuple[list[str], list[str]]:
    """``n`` 2-character name fragments and ``n`` identity numbers, sampled evenly from the CSV."""
    rng = random.Random(seed)
    picks: list[tuple[str, str]] = []
    with open(csv_path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        next(reader)
        for i, row in enumerate(reader):  # reservoir sample: one pass, bounded memory
            if len(picks) < n:
                picks.append((row[0], row[1]))
            else:
                j = rng.randrange(i + 1)
                if j < n:
                    picks[j] = (row[0], row[1])
    fragments = []
    for name, _ in picks:
        name = name.strip()
        start = rng.randrange(max(1, len(name) - 1))
        fragments.append(name[start : start + 2])
    return fragments, [number for _, number in picks]


def run_search(*, csv_path: Path, password: str, warmup: int, n: int, seed: int) -> dict:
    from urllib.parse import quote

    fragments, numbers = search_inputs(csv_path, n + warmup, seed)
    result: dict = {"user": "benchadmin (admin role: whole city)", "n": n, "warmup": warmup}
    with jiayuan_server() as srv:
        token = get_token(srv.port, "benchadmin", password)
        for kind, values in (("name_fragment", fragments), ("id_number", numbers)):
            paths = [f"/api/v1/residents/?q={quote(v)}" for v in values]
            client = Client(srv.port, token)
            counts, times = [], []
            try:
                for i, path in enumerate(paths):
                    status, payload, elapsed = client.request("GET", path)
                    if status != 200:
                        raise RuntimeError(f"GET {path}: HTTP {status} {payload[:300]!r}")
                    if i >= warmup:
                        times.append(elapsed)
                        counts.append(json.loads(payload)["count"])
            finally:
                client.close()
            summary = lib.latency_summary(times)
            summary["examples"] = values[warmup : warmup + 3]
            summary["median_matches"] = sorted(counts)[len(counts) // 2]
            summary["found"] = sum(1 for c in counts if c > 0)
            result[kind] = summary
            lib.log(f"search {kind}: {summary}")
    return result
