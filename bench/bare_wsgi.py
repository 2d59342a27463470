"""Baseline (b) of benchmark 2: the resident list with no framework.

A plain WSGI callable served by waitress with the same thread count as ``jiayuan serve``. Per
thread one psycopg connection (kept open). Per request: the token is checked by a single SQL
lookup (authtoken_token joined to the user and their role assignments, which also gives the
scope), then exactly the SQL Django runs for the list (count, page, tags prefetch; captured by
the harness and passed in BENCH_BARE_SQL), then ``json.dumps`` of the same fields as
``ResidentSerializer`` in DRF's page envelope.

Only the benchmarked request is implemented: GET /api/v1/residents/ for a user whose scope is
one territory prefix. Run: ``python bench/bare_wsgi.py --port P --threads 8 --sql FILE``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import threading

import psycopg

AUTH_SQL = (
    "SELECT ra.role, p.code FROM authtoken_token t "
    "JOIN accounts_user u ON u.id = t.user_id AND u.is_active "
    "JOIN accounts_roleassignment ra ON ra.user_id = u.id "
    "LEFT JOIN territory_place p ON p.id = ra.place_id "
    "WHERE t.key = %s"
)
# jiayuan.accounts.choices.ROLE_MAX_SENSITIVITY, copied so this file imports nothing of the project.
MAX_SENSITIVITY = {
    "resident": 1,
    "grid_worker": 2,
    "community_staff": 2,
    "community_secretary": 3,
    "street_staff": 3,
    "district_staff": 3,
    "admin": 3,
}
FIELDS = [
    "id",
    "name",
    "id_number_masked",
    "phone_masked",
    "sex",
    "birth_date",
    "ethnicity",
    "political_status",
    "residence_type",
    "education",
    "employment_status",
    "household",
    "relation_to_head",
    "grid_code",
    "territory_code",
    "tags",
    "completeness",
    "status",
    "created_at",
    "updated_at",
]
PAGE_SIZE = 50
_IN_LIST = re.compile(r"IN \((?:%s(?:, )?)+\)")


def _col(names: dict[str, int], *candidates: str) -> int:
    """Position of the first column present (Django's aliases differ between query shapes)."""
    for name in candidates:
        if name in names:
            return names[name]
    raise KeyError(candidates)


class App:
    def __init__(self, dsn: str, sql: dict):
        self.dsn = dsn
        self.page_sql, self.page_params = sql["page"]["sql"], sql["page"]["params"]
        self.count_sql, self.count_params = sql["count"]["sql"], sql["count"]["params"]
        self.tags_sql = sql["tags"]["sql"]
        self.pattern = sql["pattern"]  # the scope parameter inside page/count params, e.g. "370102001001001%"
        self.local = threading.local()

    def conn(self) -> psycopg.Connection:
        conn = getattr(self.local, "conn", None)
        if conn is None or conn.closed:
            conn = psycopg.connect(self.dsn, autocommit=True)
            conn.execute("SET TIME ZONE 'Asia/Shanghai'")
            self.local.conn = conn
        return conn

    def _params(self, params: list, pattern: str) -> list:
        return [pattern if p == self.pattern else p for p in params]

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != "/api/v1/residents/" or environ.get("REQUEST_METHOD") != "GET":
            return self._send(start_response, "404 Not Found", {"detail": "Not found."})
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if not auth.startswith("Token "):
            return self._send(
                start_response,
                "401 Unauthorized",
                {"detail": "Authentication credentials were not provided."},
            )
        cur = self.conn().cursor()
        grants = cur.execute(AUTH_SQL, (auth[6:].strip(),)).fetchall()
        if not grants:
            return self._send(start_response, "401 Unauthorized", {"detail": "Invalid token."})
        codes = {code for role, code in grants if code}
        if len(codes) != 1:
            return self._send(start_response, "501 Not Implemented", {"detail": "one scope prefix only"})
        level = max(MAX_SENSITIVITY.get(role, 0) for role, _ in grants)
        pattern = next(iter(codes)) + "%"

        count = cur.execute(self.count_sql, self._params(self.count_params, pattern)).fetchone()[0]
        cur.execute(self.page_sql, self._params(self.page_params, pattern))
        names: dict[str, int] = {}
        for i, col in enumerate(cur.description):
            names.setdefault(col.name, i)  # the resident's own columns come first
        rows = cur.fetchall()
        tags: dict[int, list[str]] = {}
        ids = [row[names["id"]] for row in rows]
        if ids:
            sql = _IN_LIST.sub("IN (" + ", ".join(["%s"] * len(ids)) + ")", self.tags_sql, count=1)
            cur.execute(sql, ids)
            tnames: dict[str, int] = {}
            for i, col in enumerate(cur.description):
                tnames.setdefault(col.name, i)
            for trow in cur.fetchall():
                if trow[_col(tnames, "sensitivity", "group__sensitivity")] <= level:
                    tags.setdefault(trow[tnames["resident_id"]], []).append(
                        trow[_col(tnames, "code", "group__code")]
                    )
        results = []
        for row in rows:
            rid = row[names["id"]]
            code = row[names["territory_code"]]
            results.append(
                {
                    "id": rid,
                    "name": row[names["name"]],
                    "id_number_masked": row[names["id_number_masked"]],
                    "phone_masked": row[names["phone_masked"]],
                    "sex": row[names["sex"]],
                    "birth_date": row[names["birth_date"]].isoformat(),
                    "ethnicity": row[names["ethnicity"]],
                    "political_status": row[names["political_status"]],
                    "residence_type": row[names["residence_type"]],
                    "education": row[names["education"]],
                    "employment_status": row[names["employment_status"]],
                    "household": row[_col(names, "household_id", "household")],
                    "relation_to_head": row[names["relation_to_head"]],
                    "grid_code": code[:15],
                    "territory_code": code,
                    "tags": tags.get(rid, []),
                    "completeness": row[names["completeness"]],
                    "status": row[names["status"]],
                    "created_at": row[names["created_at"]].isoformat(),
                    "updated_at": row[names["updated_at"]].isoformat(),
                }
            )
        host = environ.get("HTTP_HOST", "127.0.0.1")
        body = {
            "count": count,
            "next": f"http://{host}/api/v1/residents/?page=2" if count > PAGE_SIZE else None,
            "previous": None,
            "results": results,
        }
        return self._send(start_response, "200 OK", body)

    @staticmethod
    def _send(start_response, status: str, doc) -> list[bytes]:
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]


def main() -> None:
    from waitress import serve

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--sql", required=True, help="JSON file with the captured page/count/tags SQL")
    parser.add_argument(
        "--dsn",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jiayuan_bench"),
    )
    args = parser.parse_args()
    with open(args.sql, encoding="utf-8") as fh:
        sql = json.load(fh)
    print(f"bare WSGI handler on http://127.0.0.1:{args.port}/", flush=True)
    serve(App(args.dsn, sql), host="127.0.0.1", port=args.port, threads=args.threads, ident="bare")


if __name__ == "__main__":
    main()
