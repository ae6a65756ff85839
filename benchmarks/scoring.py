"""Benchmark: one school, 30 teams x 40 respondents answering the full real instrument.

    .venv/bin/python benchmarks/scoring.py [--teams 30] [--size 40] [--runs 7]

1. inserts the answers (seeded random, ~8 % "weet niet") into a fresh SQLite database in a temp dir;
2. times loading them back (the service's load step, ``load_responses``);
3. times scoring every team of the round (pure ``score_round``: profiles, roles, school comparison,
   patterns, priorities);
4. times the whole service call ``round_profiles`` (load + score) for reference.

Each figure is the median of --runs runs. Goal: the whole round scores in < 0.5 s, and scoring costs
a small fraction of loading.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from spiegel import create_app  # noqa: E402
from spiegel.instrument import load_instrument  # noqa: E402
from spiegel.instrument.model import PHASES  # noqa: E402
from spiegel.org.models import Board, School, Team  # noqa: E402
from spiegel.results.profiles import load_responses, round_profiles, scoring_config  # noqa: E402
from spiegel.rounds.models import Round, RoundTeam  # noqa: E402
from spiegel.scoring import score_round  # noqa: E402
from spiegel.shared.extensions import db  # noqa: E402
from spiegel.survey.models import Answer, Response  # noqa: E402

ROLES = ["teacher"] * 7 + ["leader", "support", "other"]


def populate(n_teams: int, size: int, seed: int = 2026) -> tuple[int, list[int]]:
    """Insert the school, its round and every answer; returns the round id and round-team ids."""
    rng = random.Random(seed)
    modules = load_instrument().current()
    school = School(board=Board(name="Benchmark board"), name="Benchmark school")
    now = datetime(2026, 3, 1)
    round_ = Round(school=school, name="Benchmark", modules=[m.id for m in modules],
                   instrument_versions={m.id: m.version for m in modules}, innovation_name="Benchmark",
                   opens_at=now, closes_at=now + timedelta(days=30))
    for k in range(n_teams):
        RoundTeam(round=round_, team=Team(school=school, name=f"Team {k}"), code=f"B{k:05d}")
    db.session.add(round_)
    db.session.commit()
    items = [item for module in modules for item in module.items()]
    responses, answers = [], []
    response_id = 0
    for round_team in round_.round_teams:
        lean = rng.uniform(-1, 1)  # teams differ, so profiles and patterns differ
        for _ in range(size):
            response_id += 1
            role = rng.choice(ROLES)
            responses.append({"id": response_id, "round_team_id": round_team.id, "role": role, "language": "nl",
                              "page": 0, "phase": rng.choice(PHASES), "token_hash": f"t{response_id:063d}",
                              "resume_hash": f"r{response_id:063d}", "submitted_on": date(2026, 3, 2)})
            for item in items:
                if item.asked_of(role):
                    value = None if rng.random() < 0.08 else min(5, max(1, round(rng.gauss(3 + lean, 1.1))))
                    answers.append({"response_id": response_id, "item_id": item.id, "value": value})
    db.session.execute(insert(Response), responses)
    db.session.execute(insert(Answer), answers)
    db.session.commit()
    return round_.id, [rt.id for rt in round_.round_teams], len(answers)


def median_time(action: Callable[[], object], runs: int, before: Callable[[], None] = lambda: None) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=30)
    parser.add_argument("--size", type=int, default=40)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"DATABASE_URL": f"sqlite:///{tmp}/b.db", "TESTING": True})
        with app.app_context():
            db.create_all()
            start = time.perf_counter()
            round_id, round_team_ids, answer_count = populate(args.teams, args.size)
            inserted = time.perf_counter() - start
            modules = load_instrument().current()
            config = scoring_config()
            teams = load_responses(round_team_ids)
            score_round(modules, teams, config)  # warm caches (pattern texts) before timing

            load = median_time(lambda: load_responses(round_team_ids), args.runs, db.session.expire_all)
            score = median_time(lambda: score_round(modules, teams, config), args.runs)
            service = median_time(lambda: round_profiles(round_id), args.runs, db.session.expire_all)
            db.engine.dispose()

    print(f"school: {args.teams} teams x {args.size} respondents, {answer_count} answers "
          f"(inserted in {inserted:.2f} s); median of {args.runs} runs")
    print(f"load answers from SQLite (load_responses): {load * 1000:8.1f} ms")
    print(f"score the round (score_round, pure):       {score * 1000:8.1f} ms")
    print(f"whole service call (round_profiles):       {service * 1000:8.1f} ms")
    print(f"ratio scoring / load:                      {score / load:8.2f}")
    print(f"goal: scoring < 500 ms -> {'met' if score < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
