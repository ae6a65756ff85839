"""Demo data: a school board with two schools, rounds and synthetic answers that differ per team."""
import random
from datetime import date, timedelta

from sqlalchemy import func, select

from spiegel.instrument import load_instrument
from spiegel.instrument.model import PHASES
from spiegel.org.models import Board, School, Team
from spiegel.plans import services as plans
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.shared.hashing import digest
from spiegel.survey import codes
from spiegel.survey.models import Answer, OpenAnswer, Response

DEMO_BOARD = "Scholengroep De Brug (demo)"
# Staff accounts to try the leader's and coach's side; printed by `flask spiegel demo`. Demo only.
DEMO_PASSWORD = "spiegel-demo"
DEMO_ACCOUNTS = [  # e-mail, role, school name or (school, team) name
    ("admin@demo.spiegel.test", "admin", None),
    ("leider@demo.spiegel.test", "school_leader", "Atheneum Zuiderpark"),
    ("coach@demo.spiegel.test", "coach", "Basisschool De Linde"),
    ("begeleider@demo.spiegel.test", "facilitator", ("Atheneum Zuiderpark", "STEM-team")),
]
SCHOOLS = {
    "Atheneum Zuiderpark": ["Eerste graad", "Tweede graad", "Derde graad", "STEM-team", "Team talen",
                            "Zorgteam"],
    "Basisschool De Linde": ["Kleuterteam", "Lagere school"],
}
# Respondents per team in the open round; "Zorgteam" stays below the anonymity minimum.
TEAM_SIZES = {"Zorgteam": 2}
REVIEWED_PLAN_TEAM = "STEM-team"  # last year's plan reviewed and shared (the cycle after a mirror)
OPEN_ANSWERS = [
    "Meer tijd om samen lessen voor te bereiden zou helpen.",
    "We delen te weinig wat werkt in de klas.",
    "Fijn dat we dit samen bekijken.",
]


def load_demo(seed: int = 2026) -> Board:
    rng = random.Random(seed)
    instrument = load_instrument()
    modules = instrument.current()
    now = utcnow().replace(microsecond=0)
    board = Board(name=DEMO_BOARD)
    db.session.add(board)
    reviewed = None
    for school_name, team_names in SCHOOLS.items():
        school = School(board=board, name=school_name)
        teams = [Team(school=school, name=name) for name in team_names]
        profiles = {team.name: _team_profile(rng, modules) for team in teams}
        if school_name == "Atheneum Zuiderpark":  # a closed round last school year, for trends
            previous = _round(school, modules, "Afname 2025", now - timedelta(days=400), now - timedelta(days=370))
            for team in teams:
                shifted = {k: v - rng.uniform(0.0, 0.5) if k != "phase" else v
                           for k, v in profiles[team.name].items()}
                round_team = _round_team(previous, team)
                _answers(rng, round_team, modules, shifted, rng.randint(6, 10), now.date() - timedelta(days=380))
                if team.name == REVIEWED_PLAN_TEAM:
                    reviewed = round_team
        current = _round(school, modules, "Afname 2026", now - timedelta(days=1), now + timedelta(days=30))
        for team in teams:
            size = TEAM_SIZES.get(team.name, rng.randint(7, 14))
            _answers(rng, _round_team(current, team), modules, profiles[team.name], size, now.date())
    db.session.flush()
    _accounts(board)
    db.session.commit()
    if reviewed is not None:
        _reviewed_plan(reviewed)
    return board


def _reviewed_plan(round_team: RoundTeam) -> None:
    """Last year's plan of the facilitator's team, its first sprint reviewed and the plan shared, so the
    demo shows the cycle after a mirror: the review in this year's mirror and the learning page."""
    plan = plans.create_plan(round_team, generate=True, language="nl", on=round_team.round.closes_at.date())
    if not plan.sprints:
        return
    sprint = plan.sprints[0]
    sprint.cimo_context = "Drie vakgroepen, weinig gedeelde planning."
    sprint.cimo_intervention = "Elke twee weken een uur samen lessen voorbereiden."
    plans.save_review(sprint, happened="Vier van de zes koppels hielden het vol.",
                      learned="Een vast uur in het rooster werkt beter dan vrije momenten.",
                      decision="broaden", reason="De andere vakgroepen willen meedoen.",
                      value=[{"kind": "practice", "example": "We bereiden lessen in duo's voor."}])
    plans.set_shared(plan, True)


def _accounts(board: Board) -> None:
    from werkzeug.security import generate_password_hash

    from spiegel.accounts.models import Membership, User

    schools = {school.name: school for school in board.schools}
    password = generate_password_hash(DEMO_PASSWORD)
    for email, role, scope in DEMO_ACCOUNTS:
        if db.session.scalar(select(User).where(User.email == email)) is not None:
            continue
        membership = Membership(role=role)
        if isinstance(scope, str):
            membership.school_id = schools[scope].id
        elif scope:
            school = schools[scope[0]]
            membership.team_id = next(t.id for t in school.teams if t.name == scope[1])
        db.session.add(User(email=email, name="", password_hash=password, memberships=[membership]))


def _round(school, modules, name, opens_at, closes_at) -> Round:
    return Round(school=school, name=name, modules=[m.id for m in modules],
                 instrument_versions={m.id: m.version for m in modules},
                 innovation_name="Evalueren om te leren",
                 innovation_description="Formatief evalueren in alle vakken, met feedback die leerlingen verder helpt.",
                 opens_at=opens_at, closes_at=closes_at, default_language="nl")


def _round_team(round_, team) -> RoundTeam:
    round_team = RoundTeam(round=round_, team=team, code=codes.new_team_code())
    db.session.add(round_team)
    return round_team


def _team_profile(rng, modules) -> dict:
    """A latent level per sub-element (and phase) so that teams really differ."""
    profile = {element.id: rng.uniform(1.8, 4.4) for module in modules for element in module.elements()}
    profile["phase"] = rng.choice(PHASES)
    return profile


def _answers(rng, round_team, modules, profile, size, submitted_on: date):
    roles = ["teacher"] * 7 + ["leader", "support", "support"]
    for _ in range(size):
        role = rng.choice(roles)
        response = Response(round_team=round_team, role=role, language=rng.choice(["nl", "nl", "en", "fr"]),
                            phase=profile["phase"] if rng.random() < 0.75 else rng.choice(PHASES),
                            token_hash=digest(codes.new_token()),
                            resume_hash=digest(codes.new_resume_code()),
                            submitted_on=submitted_on)
        # Leaders see things a little more rosily (a perception gap to show).
        lift = 0.5 if role == "leader" else 0.0
        for module in modules:
            for item in module.items():
                if not item.asked_of(role):
                    continue
                if rng.random() < 0.06:
                    value = None
                else:
                    level = profile[item.element_id] + lift + rng.gauss(0, 0.85)
                    value = min(5, max(1, round(level)))
                    if item.reverse:
                        value = 6 - value
                response.answers.append(Answer(item_id=item.id, value=value))
            for question in module.open_questions:
                if rng.random() < 0.3:
                    response.open_answers.append(OpenAnswer(question_id=question.id, text=rng.choice(OPEN_ANSWERS)))
        response.page = 0
        db.session.add(response)


def open_round_teams(board: Board):
    """(round team, submitted responses) for the board's rounds that are open now."""
    now = utcnow()
    counts = (select(Response.round_team_id, func.count().label("n"))
              .where(Response.submitted_on.is_not(None)).group_by(Response.round_team_id).subquery())
    rows = db.session.execute(
        select(RoundTeam, func.coalesce(counts.c.n, 0))
        .join(Round).join(School).join(Team, RoundTeam.team_id == Team.id)
        .outerjoin(counts, counts.c.round_team_id == RoundTeam.id)
        .where(School.board_id == board.id, Round.opens_at <= now, Round.closes_at > now)
        .order_by(School.name, Team.name))
    return rows.all()
