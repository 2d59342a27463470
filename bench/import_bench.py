"""Benchmark 1: ``jiayuan import_residents`` against PostgreSQL's own COPY of the same rows.

Baseline: the CSV streamed with ``COPY ... FROM STDIN (FORMAT csv, HEADER)`` (psycopg, like psql's
``\\copy``) into a plain table of text columns, one per CSV column, no index, truncated before
each run. Subject: ``jiayuan import_residents FILE --user benchadmin`` run as a child process
into a database whose residents, households, tags and moves (and their audit-log rows) are
emptied before each run; places stay. Both start after a CHECKPOINT. Peak RSS is the child's
``ru_maxrss`` from ``os.wait4``.
"""

from __future__ import annotations

import csv
import os
import statistics
import subprocess
import time
from pathlib import Path

import lib

BASELINE_TABLE = "bench_copy_baseline"
RESIDENT_TABLES = [
    "residents_residentmove",
    "residents_residenttag",
    "residents_resident",
    "residents_household",
]


def csv_header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return next(csv.reader(fh))


def csv_rows(path: Path) -> int:
    with open(path, "rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return lines - 1  # the header (the generator's fields hold no newlines)


def copy_once(path: Path, ncols: int) -> float:
    with lib.connect() as conn:
        conn.execute(f"TRUNCATE {BASELINE_TABLE}")
        conn.commit()
        conn.execute("CHECKPOINT")
        conn.commit()
        start = time.perf_counter()
        with conn.cursor() as cur, open(path, "rb") as fh:
            with cur.copy(f"COPY {BASELINE_TABLE} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while block := fh.read(1 << 20):
                    copy.write(block)
        conn.commit()
        elapsed = time.perf_counter() - start
        loaded = conn.execute(f"SELECT count(*) FROM {BASELINE_TABLE}").fetchone()[0]
    lib.log(f"  COPY: {elapsed:.2f} s, {loaded} rows")
    return elapsed


def reset_residents() -> None:
    """Empty what an import writes (keep places, users and the special-group catalogue)."""
    with lib.connect() as conn:
        conn.execute(
            "DELETE FROM auditlog_logentry WHERE content_type_id IN "
            "(SELECT id FROM django_content_type WHERE app_label = 'residents')"
        )
        conn.execute(f"TRUNCATE {', '.join(RESIDENT_TABLES)} CASCADE")
        conn.commit()
        conn.execute("CHECKPOINT")


def resident_count() -> int:
    with lib.connect() as conn:
        return conn.execute("SELECT count(*) FROM residents_resident").fetchone()[0]


def import_once(path: Path, user: str, log_path: Path) -> dict:
    cmd = [lib.JIAYUAN, "import_residents", str(path), "--user", user]
    # Tasks run inline: the command is timed to the end of the import, not to its queueing.
    env = lib.jiayuan_env(JIAYUAN_TASKS_IMMEDIATE="1")
    with open(log_path, "ab") as logf:
        logf.write(f"\n$ {' '.join(cmd)}\n".encode())
        logf.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=lib.REPO, stdout=logf, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = usage.ru_maxrss / 1024  # Linux: KiB
    return {"seconds": elapsed, "rc": proc.returncode, "peak_rss_mb": round(rss_mb, 1)}


def run(*, csv_path: Path, repeat: int, user: str, importer_available: bool) -> dict:
    header = csv_header(csv_path)
    rows = csv_rows(csv_path)
    result: dict = {
        "csv": str(csv_path),
        "csv_rows": rows,
        "csv_mb": round(csv_path.stat().st_size / 1e6, 1),
        "columns": header,
        "repeat": repeat,
    }

    cols = ", ".join(f"c{i + 1:02d} text" for i in range(len(header)))
    with lib.connect() as conn:
        conn.execute(f"DROP TABLE IF EXISTS {BASELINE_TABLE}")
        conn.execute(f"CREATE TABLE {BASELINE_TABLE} ({cols})")
        conn.commit()
    lib.log(f"import: COPY baseline, {rows} rows, {len(header)} columns, {repeat} runs")
    copy_times = [copy_once(csv_path, len(header)) for _ in range(repeat)]
    with lib.connect() as conn:
        conn.execute(f"TRUNCATE {BASELINE_TABLE}")  # give the disk space back
        conn.commit()
    result["copy_seconds"] = [round(t, 3) for t in copy_times]
    result["copy_median_s"] = round(statistics.median(copy_times), 3)

    if not importer_available:
        result["import"] = "not available"
        lib.log("import: `jiayuan import_residents` does not exist (yet): subject not measured")
        return result

    log_path = lib.VAR_DIR / "logs" / "import_residents.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)  # this run's output only
    runs = []
    for i in range(repeat):
        reset_residents()
        lib.log(f"import: run {i + 1}/{repeat} (log: {log_path})")
        r = import_once(csv_path, user, log_path)
        r["residents_after"] = resident_count()
        lib.log(
            f"  import_residents: {r['seconds']:.2f} s, rc {r['rc']}, peak {r['peak_rss_mb']} MB, "
            f"{r['residents_after']} residents"
        )
        runs.append(r)
        if r["rc"] != 0 or r["residents_after"] != rows:
            break
    result["import_runs"] = runs
    ok = [r for r in runs if r["rc"] == 0 and r["residents_after"] == rows]
    if len(ok) != len(runs) or not ok:
        tail = log_path.read_text(errors="replace")[-2000:]
        result["import"] = "failed"
        result["import_error"] = tail
        if runs[-1]["rc"] < 0:
            result["import_error"] += f"\n(killed by signal {-runs[-1]['rc']} from outside the harness)"
        lib.log(
            f"import: FAILED (rc {runs[-1]['rc']}, {runs[-1]['residents_after']} of {rows} rows); log tail:\n{tail}"
        )
        return result
    result["import"] = "ok"
    result["import_median_s"] = round(statistics.median(r["seconds"] for r in ok), 3)
    result["import_peak_rss_mb"] = max(r["peak_rss_mb"] for r in ok)
    result["ratio_import_copy"] = lib.ratio(result["import_median_s"], result["copy_median_s"])
    result["rows_per_s"] = round(rows / result["import_median_s"])
    return result
