"""Jiayuan benchmark runner (issue 3, "Benchmarks"): a harness, not timed tests.

    make bench                                    # = .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --residents 1000000 --seed 1 --repeat 3 --only import,list,search

1. import  ``jiayuan import_residents`` of the gen_city CSV vs PostgreSQL COPY of the same rows
2. list    a grid worker's GET /api/v1/residents/ on ``jiayuan serve`` vs plain SQL and a bare WSGI app
3. search  ``?q=`` by 2-character name fragment and by full identity number (blind index)

Everything runs against a dedicated PostgreSQL database (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/jiayuan_bench), created and migrated if needed. The city
(places in the database + CSV in var/bench/) is generated once per (N, seed) and reused; a
different (N, seed) recreates the bench database. Results: a dated section appended to
bench/RESULTS.md and the raw figures in bench/results/*.json. Exit status 0 even when goals are
missed (they are reported as missed); non-zero only when the harness itself cannot run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
import traceback
from pathlib import Path

import import_bench
import lib

PASSWORD = "bench-password-not-secret"
RESULTS_MD = lib.BENCH_DIR / "RESULTS.md"
RESULTS_DIR = lib.BENCH_DIR / "results"
GOALS = {
    "import_ratio": 4.0,
    "import_peak_mb": 500.0,
    "list_p95_ms": 20.0,
    "list_ratio_bare": 3.0,
    "search_p95_ms": 100.0,
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Jiayuan benchmarks (see bench/README.md)")
    p.add_argument("--residents", type=int, default=1_000_000, help="city size N (default 1,000,000)")
    p.add_argument("--seed", type=int, default=1, help="gen_city seed (default 1)")
    p.add_argument(
        "--repeat", type=int, default=3, help="runs of COPY and of the import; medians reported (default 3)"
    )
    p.add_argument(
        "--only", default="import,list,search", help="comma-separated subset of import,list,search"
    )
    p.add_argument("--list-requests", type=int, default=500, help="timed requests of the list (default 500)")
    p.add_argument("--list-warmup", type=int, default=50)
    p.add_argument(
        "--search-requests", type=int, default=200, help="timed requests per search kind (default 200)"
    )
    p.add_argument("--search-warmup", type=int, default=20)
    p.add_argument("--csv", type=Path, help="use this CSV instead of generating one (the places must exist)")
    p.add_argument(
        "--dev-seed",
        action="store_true",
        help="development only: build a small city with bench/django_side.py instead of gen_city",
    )
    p.add_argument(
        "--allow-partial",
        action="store_true",
        help="measure list and search even when the database holds fewer residents than --residents",
    )
    p.add_argument("--no-record", action="store_true", help="print only; write neither RESULTS.md nor JSON")
    p.add_argument("--note", default="", help="a sentence recorded with the results (e.g. what changed)")
    args = p.parse_args(argv)
    args.only = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(args.only) - {"import", "list", "search"}
    if unknown:
        p.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    return args


# -- the city ---------------------------------------------------------------------------------


def prepare_city(args, info: dict) -> Path | None:
    """The bench database with the city's places, and the city's CSV; None if no CSV exists."""
    url = lib.db_url()
    source = "devseed" if args.dev_seed else "gen_city"
    marker_path = lib.VAR_DIR / "city.json"
    marker = {"db": url, "residents": args.residents, "seed": args.seed, "source": source}
    csv_path = (
        args.csv or lib.VAR_DIR / f"{'dev_' if args.dev_seed else ''}city_N{args.residents}_S{args.seed}.csv"
    )
    info["city_source"] = "--csv" if args.csv else source

    created = lib.ensure_database(url)
    current = json.loads(marker_path.read_text()) if marker_path.exists() else None
    if args.csv:
        lib.log(f"city: using {csv_path} (places as they are in the database)")
        migrate()
        return csv_path
    if not created and current == marker and csv_path.exists():
        lib.log(f"city: reusing {csv_path.name} and the places already in {lib.db_name(url)}")
        migrate()
        return csv_path
    if source == "gen_city" and not lib.has_command("gen_city"):
        lib.log("city: `jiayuan gen_city` does not exist (yet): no CSV, the import is not measured")
        info["city_source"] = "gen_city not available"
        migrate()
        return None
    if not created:
        lib.log(f"city: (N, seed) or source changed: recreating database {lib.db_name(url)}")
        lib.drop_database(url)
        lib.ensure_database(url)
    marker_path.unlink(missing_ok=True)
    migrate()
    start = time.perf_counter()
    if (
        source == "gen_city"
        and csv_path.exists()
        and "--places-only" in lib.jiayuan("gen_city", "--help").stdout
    ):
        # Same N and seed give the same city: the cached CSV stays, only the places are made again.
        lib.log(
            f"city: jiayuan gen_city --residents {args.residents} --seed {args.seed} --places-only (CSV cached)"
        )
        lib.jiayuan(
            "gen_city",
            "--residents",
            str(args.residents),
            "--seed",
            str(args.seed),
            "--places-only",
            capture=False,
        )
    elif source == "gen_city":
        part = csv_path.with_suffix(".csv.part")
        lib.log(
            f"city: jiayuan gen_city --residents {args.residents} --seed {args.seed} --out {csv_path.name}"
        )
        lib.jiayuan(
            "gen_city",
            "--residents",
            str(args.residents),
            "--seed",
            str(args.seed),
            "--out",
            str(part),
            capture=False,
        )
        part.replace(csv_path)  # only a complete CSV is ever cached
    else:
        lib.log(f"city: DEVELOPMENT seed of {args.residents} residents (not gen_city)")
        out = lib.django_snippet("devseed", n=args.residents, seed=args.seed, out=csv_path)
        lib.log(f"city: {out}")
    info["city_seconds"] = round(time.perf_counter() - start, 1)
    marker_path.write_text(json.dumps(marker))
    return csv_path


def migrate() -> None:
    lib.log("migrate")
    lib.jiayuan("migrate", "--noinput", "-v0")


def analyze() -> None:
    """VACUUM ANALYZE what the benchmarks read: right after a bulk load the planner has no
    statistics yet (autovacuum would get there within a minute in production)."""
    with lib.connect(autocommit=True) as conn:
        for table in import_bench.RESIDENT_TABLES + ["territory_place"]:
            conn.execute(f"VACUUM ANALYZE {table}")


# -- reporting --------------------------------------------------------------------------------


def _fmt(v, unit="", digits=1):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.{digits}f}{unit}"
    if isinstance(v, int):
        return f"{v:,}{unit}"
    return f"{v}{unit}"


def _goal(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def summary_rows(res: dict) -> list[list[str]]:
    rows = []
    imp = res.get("import")
    if imp is not None:
        if "error" in imp:
            rows.append(["1 import", "error", imp["error"].splitlines()[-1][:80], "–", "–", "–"])
        elif imp.get("import") == "ok":
            ratio = imp["ratio_import_copy"]
            rows.append(
                [
                    "1 import: median wall time",
                    _fmt(imp["import_median_s"], " s", 2),
                    f"COPY {_fmt(imp['copy_median_s'], ' s', 2)}",
                    _fmt(ratio, "×", 2),
                    f"≤ {GOALS['import_ratio']:g}× COPY",
                    _goal(ratio <= GOALS["import_ratio"]),
                ]
            )
            rows.append(
                [
                    "1 import: peak RSS",
                    _fmt(imp["import_peak_rss_mb"], " MB"),
                    "–",
                    "–",
                    f"< {GOALS['import_peak_mb']:g} MB",
                    _goal(imp["import_peak_rss_mb"] < GOALS["import_peak_mb"]),
                ]
            )
        else:
            rows.append(
                [
                    "1 import",
                    imp.get("import", "?"),
                    f"COPY {_fmt(imp.get('copy_median_s'), ' s', 2)}",
                    "–",
                    f"≤ {GOALS['import_ratio']:g}× COPY",
                    "not measured",
                ]
            )
    lst = res.get("list")
    if lst is not None:
        if "error" in lst:
            rows.append(["2 list", "error", lst["error"].splitlines()[-1][:80], "–", "–", "–"])
        else:
            f, b, s = lst["framework"], lst["bare"], lst["sql_only"]
            rows.append(
                [
                    "2 list (grid worker, page 1): p50 / p95 / p99",
                    f"{_fmt(f['p50_ms'], '', 2)} / {_fmt(f['p95_ms'], '', 2)} / {_fmt(f['p99_ms'], ' ms', 2)}",
                    "–",
                    "–",
                    f"p95 < {GOALS['list_p95_ms']:g} ms",
                    _goal(f["p95_ms"] < GOALS["list_p95_ms"]),
                ]
            )
            rows.append(
                [
                    "2 list vs bare WSGI: p50 / p95",
                    f"{_fmt(b['p50_ms'], '', 2)} / {_fmt(b['p95_ms'], ' ms', 2)}",
                    "bare",
                    _fmt(lst["ratio_framework_bare_p95"], "×", 2),
                    f"≤ {GOALS['list_ratio_bare']:g}× bare",
                    _goal(lst["ratio_framework_bare_p95"] <= GOALS["list_ratio_bare"]),
                ]
            )
            rows.append(
                [
                    "2 list vs plain SQL: p50 / p95",
                    f"{_fmt(s['p50_ms'], '', 2)} / {_fmt(s['p95_ms'], ' ms', 2)}",
                    "SQL",
                    _fmt(lst["ratio_framework_sql_p95"], "×", 2),
                    "reported",
                    "–",
                ]
            )
    sea = res.get("search")
    if sea is not None:
        if "error" in sea:
            rows.append(["3 search", "error", sea["error"].splitlines()[-1][:80], "–", "–", "–"])
        else:
            for kind, label in (("name_fragment", "2-char name fragment"), ("id_number", "identity number")):
                r = sea[kind]
                rows.append(
                    [
                        f"3 search by {label}: p50 / p95",
                        f"{_fmt(r['p50_ms'], '', 1)} / {_fmt(r['p95_ms'], ' ms', 1)}",
                        "–",
                        "–",
                        f"p95 < {GOALS['search_p95_ms']:g} ms",
                        _goal(r["p95_ms"] < GOALS["search_p95_ms"]),
                    ]
                )
    return rows


def table(rows: list[list[str]]) -> str:
    head = ["benchmark", "figure", "baseline", "ratio", "goal", "status"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _code_line(info: dict) -> str:
    start, end = info.get("code_at_start") or {}, info.get("code_at_end") or {}
    line = f"- code at start: `{start.get('commit')}`"
    if start.get("changed_files"):
        line += f" + uncommitted changes in {', '.join(start['changed_files'][:8])}"
    if info.get("code_changed_during_run"):
        line += f"; **the code changed during the run** (at end: `{end.get('commit')}`"
        line += f" + {len(end.get('changed_files', []))} changed files)" if end.get("changed_files") else ")"
    return line


def markdown_section(doc: dict, json_name: str) -> str:
    m, a, res = doc["machine"], doc["args"], doc["results"]
    when = doc["started"][:16].replace("T", " ")
    out = [f"## {when} — {a['residents']:,} residents, seed {a['seed']}, repeat {a['repeat']}", ""]
    if doc.get("note"):
        out += [doc["note"], ""]
    out += [
        f"- machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM; PostgreSQL {m['postgresql']}; "
        f"Python {m['python']}",
        _code_line(doc["info"]),
        f"- city: {doc['info'].get('city_source')}; {_fmt(doc['info'].get('residents_in_db'))} residents in the database "
        f"for benchmarks 2 and 3; total run {doc['seconds'] / 60:.1f} min; raw figures `results/{json_name}`",
        "",
        table(summary_rows(res)),
        "",
    ]
    imp = res.get("import") or {}
    if imp.get("copy_seconds"):
        out.append(
            f"- import: {imp['csv_rows']:,} CSV rows ({imp['csv_mb']} MB); COPY runs {imp['copy_seconds']} s"
            + (
                f"; import runs {[round(r['seconds'], 2) for r in imp.get('import_runs', [])]} s, "
                f"{imp.get('rows_per_s', 0):,} rows/s"
                if imp.get("import") == "ok"
                else f"; import: {imp.get('import')}"
            )
        )
    lst = res.get("list") or {}
    if lst.get("framework"):
        out.append(
            f"- list: grid `{lst['grid_code']}` ({lst['grid_residents']:,} active residents, count "
            f"{lst['framework_count']}), {lst['queries_per_request']} SQL queries per request, "
            f"{lst['n']} sequential keep-alive requests after {lst['warmup']} warm-up, waitress {lst['threads']} threads; "
            f"bare handler returned the same rows: {lst['bare_same_ids']}"
        )
    sea = res.get("search") or {}
    for kind in ("name_fragment", "id_number"):
        if sea.get(kind):
            r = sea[kind]
            out.append(
                f"- search {kind}: {r['n']} requests, median {r['median_matches']} matches, "
                f"{r['found']}/{r['n']} found something, p99 {r['p99_ms']} ms"
            )
    out.append("")
    return "\n".join(out)


RESULTS_HEADER = """# Benchmark results

Written by `make bench` (bench/run.py); one section per run, newest last. Raw figures of each run
are in `results/`. Goals (issue 3): import within 4× of PostgreSQL COPY and under 500 MB peak
memory; a grid worker's resident list p95 under 20 ms and within 3× of a bare WSGI handler;
search p95 under 100 ms — all at 1,000,000 residents on PostgreSQL. See README.md for the method.

"""


def record(doc: dict) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = doc["started"][:19].replace(":", "").replace("-", "").replace("T", "-")
    json_path = RESULTS_DIR / f"{stamp}-N{doc['args']['residents']}.json"
    json_path.write_text(json.dumps(doc, ensure_ascii=False, indent=1, default=str) + "\n")
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else RESULTS_HEADER
    if not text.endswith("\n\n"):
        text = text.rstrip("\n") + "\n\n"
    RESULTS_MD.write_text(text + markdown_section(doc, json_path.name))
    return json_path


# -- main -------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    started = dt.datetime.now().astimezone()
    t0 = time.perf_counter()
    lib.VAR_DIR.mkdir(parents=True, exist_ok=True)
    lib.log(f"bench database {lib.db_url()}, var dir {lib.VAR_DIR}")
    info: dict = {
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
        "code_at_start": lib.code_state(),
    }
    results: dict = {}
    try:
        csv_path = prepare_city(args, info)
        importer = lib.has_command("import_residents")
        info["import_residents_available"] = importer
        lib.django_snippet("users", password=PASSWORD)  # benchadmin must exist before the import

        if "import" in args.only:
            if csv_path is None:
                results["import"] = {"import": "not available", "error_note": "no CSV (gen_city missing)"}
            else:
                try:
                    results["import"] = import_bench.run(
                        csv_path=csv_path, repeat=args.repeat, user="benchadmin", importer_available=importer
                    )
                except Exception:  # noqa: BLE001 - report and go on with the other benchmarks
                    results["import"] = {"error": traceback.format_exc()}
                    lib.log(results["import"]["error"])

        if {"list", "search"} & set(args.only):
            lib.log("VACUUM ANALYZE of the residents tables")
            analyze()
            users = json.loads(lib.django_snippet("users", password=PASSWORD))
            info["residents_in_db"] = users["total_residents"]
            info["grids"] = users["grids"]
            lib.log(f"database: {users['total_residents']:,} residents, {users['grids']} grids")
            short = None
            if users["total_residents"] < args.residents and not args.allow_partial:
                short = (
                    f"not measured: {users['total_residents']:,} residents in the database, not the "
                    f"{args.residents:,} asked for (import not run or failed; --allow-partial measures anyway)"
                )
                lib.log(short)
                for name in {"list", "search"} & set(args.only):
                    results[name] = {"error": short}
                args.only = [x for x in args.only if x not in ("list", "search")]
            import http_bench

            if "list" in args.only:
                try:
                    if not users["grid_code"]:
                        raise RuntimeError("no grid in the bench database")
                    results["list"] = http_bench.run_list(
                        users=users, password=PASSWORD, warmup=args.list_warmup, n=args.list_requests
                    )
                except Exception:  # noqa: BLE001
                    results["list"] = {"error": traceback.format_exc()}
                    lib.log(results["list"]["error"])
            if "search" in args.only:
                try:
                    if csv_path is None:
                        raise RuntimeError("no CSV to take search inputs from (gen_city missing)")
                    results["search"] = http_bench.run_search(
                        csv_path=csv_path,
                        password=PASSWORD,
                        warmup=args.search_warmup,
                        n=args.search_requests,
                        seed=args.seed,
                    )
                except Exception:  # noqa: BLE001
                    results["search"] = {"error": traceback.format_exc()}
                    lib.log(results["search"]["error"])
    except Exception:  # noqa: BLE001 - the harness itself failed (no database, migrate error...)
        traceback.print_exc()
        return 2

    info["code_at_end"] = lib.code_state()
    info["code_changed_during_run"] = any(
        info["code_at_end"].get(k) != info["code_at_start"].get(k) for k in ("jiayuan_tree", "changed_files")
    )
    doc = {
        "started": started.isoformat(timespec="seconds"),
        "seconds": round(time.perf_counter() - t0, 1),
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "note": args.note,
        "machine": lib.machine(),
        "info": info,
        "goals": GOALS,
        "results": results,
    }
    print()
    print(table(summary_rows(results)))
    print(
        f"\n{args.residents:,} residents requested, {info.get('residents_in_db', '?')} in the database; "
        f"total {doc['seconds'] / 60:.1f} min"
    )
    if not args.no_record:
        path = record(doc)
        lib.log(f"recorded: {RESULTS_MD.relative_to(lib.REPO)} and {path.relative_to(lib.REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
