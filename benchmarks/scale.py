"""Benchmark: staff pages as the installation grows — 2, 20 and 200 schools.

    .venv/bin/python benchmarks/scale.py [--schools 2,20,200] [--repeat 5] [--data-dir /tmp/spiegel-scale]
        [--database-url 'postgresql+psycopg://postgres@127.0.0.1:54329/spiegel_scale_{n}'] [--rebuild]

1. builds one database per size (a SQLite file in --data-dir; with --database-url, that PostgreSQL
   database, `{n}` replaced by the number of schools, which must exist): migrated (`upgrade heads`),
   then bulk inserts of boards of 10 schools, 10 teams per school, 2 closed rounds per school with
   every team, 20 submitted respondents per team answering every item asked of their role. A database
   that already holds the same data is reused (--rebuild builds it again);
2. times the staff pages in one warm process (the Flask test client, logged in through the login form):
   the median of --repeat requests after one warm-up, the SQL statements of one request (SQLAlchemy's
   before_cursor_execute event) and the size of the answer. Pages look at the first school of the first
   board, its latest round and first team, so they show the same things at every size; the multi-school
   user is a coach of 20 schools (all schools below 20), the board user has the first board;
3. prints one table: per page and size the time and statements, and the growth from 20 to 200 schools.

Goals (issue 20), on a 2-core machine: no page's time or statement count grows more than 1.5x from 20
to 200 schools; every page under 300 ms at 200 schools on SQLite and PostgreSQL.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "benchmark password"
SECRET_KEY = "benchmark secret"  # required off SQLite; one process, so any value will do
TEAMS, ROUNDS, RESPONDENTS, BOARD_SIZE, COACH_SCHOOLS = 10, 2, 20, 10, 20
ROLES = ["teacher"] * 7 + ["leader", "support", "support"]

# (label, user, path): {sid} {rid} {rtid} {tid} {bid} of the first school of the first board.
PAGES = [
    ("dashboard (admin)", "admin", "/dashboard"),
    ("dashboard (coach of 20 schools)", "coach", "/dashboard"),
    ("organisation", "admin", "/org/"),
    ("organisation: board", "admin", "/org/boards/{bid}"),
    ("organisation: school", "admin", "/org/schools/{sid}"),
    ("school page", "admin", "/schools/{sid}"),
    ("round detail", "admin", "/rounds/{rid}"),
    ("live page", "admin", "/rounds/{rid}/live"),
    ("live.json", "admin", "/rounds/{rid}/live.json"),
    ("compare", "admin", "/rounds/{rid}/compare"),
    ("trend", "admin", "/schools/{sid}/trend"),
    ("export CSV", "admin", "/rounds/{rid}/export.csv"),
    ("export XLSX", "admin", "/rounds/{rid}/export.xlsx"),
    ("web mirror", "admin", "/mirror/{rtid}"),
    ("schools side by side (board)", "board", "/boards/{bid}/results"),
]


def build(n: int, url: str) -> None:
    """Migrate an empty database and fill it with ``n`` schools (bulk inserts, explicit ids)."""
    from flask_migrate import upgrade
    from sqlalchemy import insert, text
    from werkzeug.security import generate_password_hash

    from spiegel import create_app
    from spiegel.accounts.models import Membership, User
    from spiegel.instrument import load_instrument
    from spiegel.org.models import Board, School, Team
    from spiegel.rounds.models import Round, RoundTeam
    from spiegel.shared.extensions import db
    from spiegel.survey import codes
    from spiegel.survey.models import Response

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY})
    with app.app_context():
        postgres = db.engine.dialect.name == "postgresql"
        if postgres:
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade(revision="heads")
        rng = random.Random(20)
        modules = load_instrument().current()
        items = {role: [i.id for m in modules for i in m.items() if i.asked_of(role)] for role in set(ROLES)}
        now = date.today()
        board_count = -(-n // BOARD_SIZE)
        boards = [{"id": b + 1, "name": f"Scholengroep {b + 1:03d}", "archived": False} for b in range(board_count)]
        schools = [{"id": s + 1, "board_id": s // BOARD_SIZE + 1, "name": f"School {s + 1:03d}", "archived": False}
                   for s in range(n)]
        teams = [{"id": s * TEAMS + t + 1, "school_id": s + 1, "name": f"Team {t + 1:02d}", "archived": False}
                 for s in range(n) for t in range(TEAMS)]
        rounds, round_teams, taken = [], [], set()
        for s in range(n):
            for r in range(ROUNDS):
                opens = now - timedelta(days=365 * (ROUNDS - r) + 30)
                round_id = s * ROUNDS + r + 1
                rounds.append({"id": round_id, "school_id": s + 1, "name": f"Afname {opens.year}",
                               "modules": [m.id for m in modules],
                               "instrument_versions": {m.id: m.version for m in modules},
                               "innovation_name": "Evalueren om te leren", "innovation_description": "",
                               "opens_at": opens, "closes_at": opens + timedelta(days=21), "default_language": "nl",
                               "sprint_count": 3, "sprint_weeks": 6})
                for t in range(TEAMS):
                    while (code := codes.new_team_code()) in taken:
                        pass
                    taken.add(code)
                    round_teams.append({"id": len(round_teams) + 1, "round_id": round_id,
                                        "team_id": s * TEAMS + t + 1, "code": code})
        for table, rows in ((Board, boards), (School, schools), (Team, teams), (Round, rounds),
                            (RoundTeam, round_teams)):
            db.session.execute(insert(table), rows)
        hashed = generate_password_hash(PASSWORD)
        db.session.execute(insert(User), [{"id": i + 1, "email": f"{who}@scale.example", "name": who,
                                           "password_hash": hashed, "active": True, "session_version": 1}
                                          for i, who in enumerate(("admin", "coach", "board"))])
        members = [{"user_id": 1, "role": "admin"}, {"user_id": 3, "role": "board", "board_id": 1}]
        members += [{"user_id": 2, "role": "coach", "school_id": s + 1} for s in range(min(n, COACH_SCHOOLS))]
        db.session.execute(insert(Membership), [{"school_id": None, "team_id": None, "board_id": None, **m}
                                                for m in members])
        db.session.commit()
        if postgres:
            for table in ("board", "school", "team", "round", "round_team", "user", "membership"):
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                        f"(SELECT max(id) FROM \"{table}\"))"))
            db.session.commit()

        # Responses and answers: the bulk of the data, straight through the driver.
        response_rows, answer_rows = [], []
        response_id = answer_id = 0
        for round_team in round_teams:
            weights = [rng.uniform(0.2, 3) for _ in range(5)] + [0.3]  # 1..5 and "don't know"
            phase = rng.choice(["INI", "IMP", "BOR", "DIF"])
            for _ in range(RESPONDENTS):
                response_id += 1
                role = rng.choice(ROLES)
                response_rows.append((response_id, round_team["id"], role, "nl", 99, phase,
                                      f"{response_id:064x}", f"{response_id:063x}r", now, 2147483647))
                values = rng.choices([1, 2, 3, 4, 5, None], weights, k=len(items[role]))
                for item, value in zip(items[role], values):
                    answer_id += 1
                    answer_rows.append((answer_id, response_id, item, value))
        columns = "id, round_team_id, role, language, page, phase, token_hash, resume_hash, submitted_on, furthest_page"
        raw = db.session.connection().connection.dbapi_connection
        if postgres:
            with raw.cursor() as cursor:
                with cursor.copy(f"COPY response ({columns}) FROM STDIN") as copy:
                    for row in response_rows:
                        copy.write_row(row)
                with cursor.copy("COPY answer (id, response_id, item_id, value) FROM STDIN") as copy:
                    for row in answer_rows:
                        copy.write_row(row)
                for table in ("response", "answer"):
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                cursor.execute("ANALYZE")
        else:
            cursor = raw.cursor()
            cursor.executemany(f"INSERT INTO response ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               [(*row[:8], row[8].isoformat(), row[9]) for row in response_rows])
            cursor.executemany("INSERT INTO answer (id, response_id, item_id, value) VALUES (?, ?, ?, ?)", answer_rows)
            cursor.execute("ANALYZE")
        raw.commit()
        db.session.commit()
        assert db.session.query(Response).count() == len(response_rows)
        print(f"  {n} schools: {len(response_rows):,} responses, {len(answer_rows):,} answers", flush=True)
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


def built(n: int, url: str) -> bool:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            schools = connection.execute(text("SELECT count(*) FROM school")).scalar()
            responses = connection.execute(text("SELECT count(*) FROM response")).scalar()
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        from alembic.script import ScriptDirectory

        heads = ScriptDirectory(str(ROOT / "migrations")).get_heads()  # revision ids, not file names
        return schools == n and responses == n * TEAMS * ROUNDS * RESPONDENTS and [version] == heads
    except Exception:
        return False
    finally:
        engine.dispose()


@contextmanager
def counting():
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    statements = []

    def count(*args):
        statements.append(1)

    event.listen(Engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", count)


def measure(url: str, repeat: int) -> dict[str, tuple[float, int, int]]:
    """Page label → (median ms, statements, bytes)."""
    import re

    from spiegel import create_app

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "SERVER_NAME": "localhost"})
    clients = {}
    for who in ("admin", "coach", "board"):
        client = app.test_client()
        page = client.get("/login").text
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        answer = client.post("/login", data={"csrf_token": token, "email": f"{who}@scale.example",
                                             "password": PASSWORD})
        assert answer.status_code == 302, (who, answer.status_code)
        clients[who] = client
    # First board, first school, its latest round and first team (ids as built).
    values = {"bid": 1, "sid": 1, "rid": ROUNDS, "rtid": (ROUNDS - 1) * TEAMS + 1, "tid": 1}
    results = {}
    for label, who, path in PAGES:
        path = path.format(**values)
        client = clients[who]
        answer = client.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        with counting() as statements:
            client.get(path)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            answer = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
        results[label] = (statistics.median(times), len(statements), len(answer.data))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", default="2,20,200")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data-dir", default="/tmp/spiegel-scale")
    parser.add_argument("--database-url", help="PostgreSQL URL with {n} for the number of schools")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.schools.split(",")]
    os.makedirs(args.data_dir, exist_ok=True)
    urls = {n: args.database_url.format(n=n) if args.database_url else f"sqlite:///{args.data_dir}/scale-{n}.db"
            for n in sizes}
    for n, url in urls.items():
        if args.rebuild or not built(n, url):
            start = time.perf_counter()
            print(f"building {n} schools on {url.split('@')[-1]} …", flush=True)
            build(n, url)
            print(f"  built in {time.perf_counter() - start:.0f} s", flush=True)
    if args.build_only:
        return
    results = {n: measure(url, args.repeat) for n, url in urls.items()}
    print()
    print("database:", "PostgreSQL" if args.database_url else "SQLite", f"· median of {args.repeat}, warm")
    head = "page".ljust(32) + "".join(f"{n:>6} sch ms  stmts" for n in sizes)
    if 20 in sizes and 200 in sizes:
        head += "   20→200: time  stmts"
    print(head)
    for label, _, _ in PAGES:
        line = label.ljust(32)
        for n in sizes:
            ms, statements, _size = results[n][label]
            line += f"{ms:>13.1f} {statements:>6d}"
        if 20 in sizes and 200 in sizes:
            (a, sa, _), (b, sb, _) = results[20][label], results[200][label]
            line += f"   {b / a:>9.2f}x {sb / sa:>5.2f}x"
        print(line)
    if 200 in sizes:
        slow = [label for label, _, _ in PAGES if results[200][label][0] >= 300]
        print("\nover 300 ms at 200 schools:", ", ".join(slow) or "none")


if __name__ == "__main__":
    main()
