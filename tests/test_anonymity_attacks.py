"""Issue 15: the six ways a curious insider learned what a small group or one person answered (and a
seventh: two snapshots around a subgroup that grew by one or two), each
performed against the service layer (and the pages that show its numbers), and each now failing."""
import ast
import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from spiegel.org.models import Board, School, Team
from spiegel.results.profiles import release_early, round_profiles
from spiegel.rounds.models import Slip
from spiegel.rounds.services import make_slips
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from spiegel.survey.models import Response
from tests.conftest import fresh
from tests.rounds.conftest import add_responses, make_round, staff
from tests.survey_helpers import Respondent, csrf_token

MIN = 3


@pytest.fixture
def school(app):
    school = School(board=Board(name="Scholengroep"), name="School Noord")
    db.session.add(school)
    db.session.commit()
    return school


def teams_of(school, *names):
    teams = [Team(school=school, name=name) for name in names]
    db.session.add_all(teams)
    db.session.commit()
    return teams


def close(round_):
    round_.closes_at = utcnow() - timedelta(hours=1)
    db.session.commit()


def shown_scores(round_id, round_team_id) -> dict:
    """Everything a reader can get of one team: its shown unit means."""
    db.session.expire_all()
    profile = round_profiles(round_id).teams[round_team_id].profile
    return {label: score.mean for label, score in profile.scores.items() if score.shown}


# -- 1. adding responses to a suppressed team ---------------------------------------------------------

def test_1_stuffing_a_suppressed_team_with_fewer_than_the_minimum_reveals_nothing(school, client):
    (zorg,) = teams_of(school, "Zorgteam")
    round_ = make_round(school, [zorg])
    round_team = round_.round_teams[0]
    add_responses(round_team, 2, value=5)  # the two real colleagues
    close(round_)
    assert shown_scores(round_.id, round_team.id) == {}  # released, and suppressed
    # A leader who holds the poster's code answers once, then twice more (every item "3"), during the
    # grace period or by reopening: the released snapshot does not take in fewer than the minimum.
    for fake in range(1, MIN):
        add_responses(round_team, 1, value=3)
        assert shown_scores(round_.id, round_team.id) == {}, fake
        profile = round_profiles(round_.id).teams[round_team.id].profile
        assert profile.size is None and profile.fewer_than == MIN


def test_1_in_a_personal_code_round_no_one_answers_without_an_unused_slip(school, web):
    (zorg,) = teams_of(school, "Zorgteam")
    round_ = make_round(school, [zorg])
    round_.access = "personal"
    db.session.commit()
    round_team = round_.round_teams[0]
    (slip,) = make_slips(round_team, 1)
    attacker = Respondent(web.test_client(), round_team)
    join = attacker.get(f"/t/{round_team.code}")
    refused = attacker.post(f"/t/{round_team.code}/start", {"csrf_token": csrf_token(join.text), "role": "teacher"})
    assert refused.status_code == 400 and "persoonlijke code" in refused.text
    refused = attacker.post(f"/t/{round_team.code}/start", {"csrf_token": csrf_token(join.text), "role": "teacher",
                                                             "slip": "ABCDE-FGHJK"})
    assert refused.status_code == 400
    # The slip's QR code fills the code in; it takes exactly one response.
    colleague = Respondent(web.test_client(), round_team)
    join = colleague.get(f"/t/{round_team.code}?slip={slip}")
    assert f'value="{slip}"' in join.text
    started = colleague.post(f"/t/{round_team.code}/start", {"csrf_token": csrf_token(join.text), "role": "teacher",
                                                              "slip": slip.lower()})
    assert started.status_code == 302 and "/p/0" in started.headers["Location"]
    again = attacker.post(f"/t/{round_team.code}/start", {"csrf_token": csrf_token(attacker.get(f"/t/{round_team.code}").text),
                                                           "role": "teacher", "slip": slip})
    assert again.status_code == 400
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert db.session.scalar(select(Slip.used)) is True


# -- 2. two snapshots around one new respondent -------------------------------------------------------

def test_2_two_looks_around_one_new_response_show_the_same_numbers(school):
    (team,) = teams_of(school, "Team talen")
    round_ = make_round(school, [team])
    round_team = round_.round_teams[0]
    add_responses(round_team, 7, value=4)
    release_early(round_team)
    before = shown_scores(round_.id, round_team.id)
    assert before and round_profiles(round_.id).teams[round_team.id].profile.size == 7
    add_responses(round_team, 1, value=1)  # the newest respondent
    assert shown_scores(round_.id, round_team.id) == before  # 8·m₈ − 7·m₇ gives 4 − 4 = nothing
    add_responses(round_team, 1, value=1)
    assert shown_scores(round_.id, round_team.id) == before
    add_responses(round_team, 1, value=1)  # the minimum of new responses: the snapshot grows
    after = round_profiles(round_.id).teams[round_team.id].profile
    assert after.size == 10 and shown_scores(round_.id, round_team.id) != before


def test_2_an_open_round_shows_counts_only(school, client, login):
    (team,) = teams_of(school, "Team talen")
    round_ = make_round(school, [team])
    round_team = round_.round_teams[0]
    add_responses(round_team, 5, value=4)
    assert round_profiles(round_.id).is_released(round_team.id) is False
    assert shown_scores(round_.id, round_team.id) == {}
    login(client, staff("school_leader", school=school))
    mirror = client.get(f"/mirror/{round_team.id}")
    assert "nog niet vrijgegeven" in mirror.text and "4,0" not in mirror.text
    assert client.get(f"/mirror/{round_team.id}.pdf").status_code == 302
    csv = client.get(f"/rounds/{round_.id}/export.csv").get_data(as_text=True)
    assert "nog niet vrijgegeven" in csv and ",4" not in csv


# -- 3. "also named: <phase>" -------------------------------------------------------------------------

def test_3_a_phase_chosen_by_one_person_is_never_named(school, client, login):
    (team,) = teams_of(school, "Eerste graad")
    round_ = make_round(school, [team])
    round_team = round_.round_teams[0]
    add_responses(round_team, 4, value=4, phase="IMP")
    add_responses(round_team, 1, value=4, phase="DIF")  # one colleague's choice
    close(round_)
    phase = round_profiles(round_.id).teams[round_team.id].profile.phase
    assert phase.phase == "IMP" and phase.second is None and phase.tied == ()
    login(client, staff("school_leader", school=school))
    html = client.get(f"/mirror/{round_team.id}").text
    assert "Ook genoemd" not in html


# -- 4. counts of a suppressed team ---------------------------------------------------------------------

def test_4_a_small_teams_count_is_never_shown_nor_derivable_from_the_total(school, client, login):
    small, large = teams_of(school, "Zorgteam", "STEM-team")
    round_ = make_round(school, [small, large])
    by_name = {rt.team.name: rt for rt in round_.round_teams}
    add_responses(by_name["Zorgteam"], 2)
    add_responses(by_name["STEM-team"], 5)
    small.members = 1  # "more responses than members" would say that 2 answered
    db.session.commit()
    login(client, staff("school_leader", school=school))
    live = json.loads(client.get(f"/rounds/{round_.id}/live.json").data)
    assert live["teams"][str(by_name["Zorgteam"].id)] == {"started": "minder dan 3", "submitted": "minder dan 3"}
    assert live["total"] == {"started": "minstens 5", "submitted": "minstens 5"}  # not 7: 7 − 5 = 2
    for page in (f"/rounds/{round_.id}", f"/rounds/{round_.id}/live", "/dashboard",
                 f"/rounds/{round_.id}/teams/{by_name['Zorgteam'].id}/study-day"):
        text = client.get(page).text
        assert "minder dan 3" in text, page
        assert ">2<" not in text and "2 begonnen" not in text and ">7<" not in text, page
        assert "Meer antwoordlijsten dan" not in text, page


# -- 5. items answered by fewer than the minimum ------------------------------------------------------

def test_5_a_single_leaders_items_never_enter_the_teams_aggregates(school):
    one_leader, no_leader = teams_of(school, "Met leider", "Zonder leider")
    round_ = make_round(school, [one_leader, no_leader])
    by_name = {rt.team.name: rt for rt in round_.round_teams}
    for round_team in by_name.values():
        add_responses(round_team, 4, value=3)
    # The one leader answers L6 (asked of leaders only) at the extremes; the same leader's other
    # answers are the teachers'.
    first, second = (item.id for item in round_.instrument_modules()[0].items() if item.element_id == "L6")
    add_responses(by_name["Met leider"], 1, value=3, role="leader", values={first: 5, second: None})
    close(round_)
    result = round_profiles(round_.id)
    with_leader = result.teams[by_name["Met leider"].id].profile
    without = result.teams[by_name["Zonder leider"].id].profile
    assert not with_leader.elements["L6"].score.shown
    # Group L's mean and "don't know" share are those of a team whose leader never saw L6.
    assert with_leader.scores["L"].mean == without.scores["L"].mean
    assert with_leader.scores["L"].dont_know_share == without.scores["L"].dont_know_share == 0
    assert with_leader.items[first].dont_know is None and with_leader.items[second].dont_know is None


# -- 6. the school of two teams -------------------------------------------------------------------------

def test_6_in_a_school_of_two_teams_no_mirror_shows_the_school_mean(school, client, login):
    alfa, beta = teams_of(school, "Alfa", "Beta")
    round_ = make_round(school, [alfa, beta])
    by_name = {rt.team.name: rt for rt in round_.round_teams}
    add_responses(by_name["Alfa"], 4, value=4)
    add_responses(by_name["Beta"], 4, value=2)
    close(round_)
    result = round_profiles(round_.id).teams[by_name["Alfa"].id]
    assert result.comparisons and all(c.school_mean is None and c.rank is None and c.school_gap is None
                                      for c in result.comparisons.values())
    facilitator = staff("facilitator", team=alfa)
    login(client, facilitator)
    html = client.get(f"/mirror/{by_name['Alfa'].id}").text
    assert "Het schoolgemiddelde wordt niet getoond" in html
    assert "school 3,0" not in html  # (4 + 2) / 2


def test_6_with_two_other_shown_teams_the_school_mean_is_shown(school):
    teams = teams_of(school, "Alfa", "Beta", "Gamma")
    round_ = make_round(school, teams)
    for round_team, value in zip(round_.round_teams, (4, 2, 3)):
        add_responses(round_team, 3, value=value)
    close(round_)
    result = round_profiles(round_.id).teams[round_.round_teams[0].id]
    assert any(c.school_mean is not None for c in result.comparisons.values())


# -- 7. two snapshots around a subgroup that grew by one or two ----------------------------------------

def test_7_three_new_responses_of_which_one_leader_hide_the_role_subgroups(school):
    (team,) = teams_of(school, "Team talen")
    round_ = make_round(school, [team])
    round_team = round_.round_teams[0]
    add_responses(round_team, 6, value=4)
    add_responses(round_team, 3, value=4, role="leader")
    release_early(round_team)
    before = round_profiles(round_.id).teams[round_team.id].roles
    assert before.shown and (before.teachers, before.leaders) == (6, 3)
    # The snapshot grows by the minimum, but the leaders by one: 4·m₄ − 3·m₃ would be the new
    # leader's answers, and the teachers' 8·m₈ − 6·m₆ the two new teachers'.
    add_responses(round_team, 2, value=2)
    add_responses(round_team, 1, value=1, role="leader")
    db.session.expire_all()
    after = round_profiles(round_.id).teams[round_team.id]
    assert after.profile.size == 12 and not after.roles.shown
    assert after.roles.leaders is None and after.roles.teachers is None
    steps = db.session.scalars(select(Response.released_in).where(Response.round_team_id == round_team.id)).all()
    assert sorted(set(steps)) == [1, 2] and steps.count(2) == 3
    # Three more of each, in their own step: both subgroups grew by at least the minimum since shown.
    add_responses(round_team, 1, value=2)
    add_responses(round_team, 2, value=1, role="leader")
    db.session.expire_all()
    again = round_profiles(round_.id).teams[round_team.id].roles
    assert again.shown and (again.teachers, again.leaders) == (9, 6)


def test_7_a_step_number_counts_across_teams(school):
    alfa, beta = teams_of(school, "Alfa", "Beta")
    round_ = make_round(school, [alfa, beta])
    first, second = round_.round_teams
    add_responses(first, 3)
    release_early(first)
    add_responses(second, 3)
    release_early(second)
    steps = {team_id: step for team_id, step in db.session.execute(select(Response.round_team_id, Response.released_in))}
    assert steps == {first.id: 1, second.id: 2}  # the order in which they happened


# -- every shown number goes through the released snapshot ----------------------------------------------

SPIEGEL = Path(__file__).resolve().parent.parent / "spiegel"
# Modules that may read answers or score them: the results service (the door to every shown result),
# the respondent's own flow (writes), deletion, demo data, the pure scoring package and the model registry.
ALLOWED = {"results/profiles.py", "survey/services.py", "survey/models.py", "org/services.py", "demo.py", "models.py"}
FORBIDDEN_NAMES = {"Answer", "OpenAnswer", "score_round", "score_team", "score_profile", "score_profiles", "ResponseData"}


def readers_outside_the_service(root: Path) -> list[str]:
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        if relative in ALLOWED or relative.startswith("scoring/"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("spiegel"):
                names = {alias.name for alias in node.names} & FORBIDDEN_NAMES
                if names:
                    offenders.append(f"{relative}: {sorted(names)} from {node.module}")
    return offenders


def test_only_the_results_service_reads_answers_or_scores_them():
    """A new view or export that shows a number must take it from spiegel.results.profiles (released
    results); reading answers or scoring them anywhere else fails here."""
    assert readers_outside_the_service(SPIEGEL) == []


def test_the_check_finds_a_view_that_reads_answers_itself(tmp_path):
    (tmp_path / "rounds").mkdir()
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "profiles.py").write_text("from spiegel.survey.models import Answer\n")
    (tmp_path / "rounds" / "live_scores.py").write_text("from spiegel.scoring import score_round\n")
    assert readers_outside_the_service(tmp_path) == ["rounds/live_scores.py: ['score_round'] from spiegel.scoring"]


def test_joining_with_a_staff_session_open_asks_to_log_out_first(school, client, login):
    (team,) = teams_of(school, "Alfa")
    round_ = make_round(school, [team])
    round_team = round_.round_teams[0]
    login(client, staff("school_leader", school=school))
    join = client.get(f"/t/{round_team.code}")
    assert "Afmelden en antwoorden" in join.text and 'action="/t/' not in join.text.split("Afmelden")[0][-400:]
    refused = client.post(f"/t/{round_team.code}/start", data={"csrf_token": csrf_token(join.text), "role": "teacher"})
    assert refused.status_code == 403
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    logout = client.post(f"/logout?next=/t/{round_team.code}", data={"csrf_token": csrf_token(join.text)})
    assert logout.headers["Location"].endswith(f"/t/{round_team.code}")
    person = Respondent(client, round_team)
    person.start()
    fresh()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
