"""The view across a board's schools: school results from the results service only, never a school
with fewer shown teams than the minimum group size, drill-down only within the viewer's scope, nl/en/fr."""
import re

import pytest

from spiegel.boards.services import board_results
from spiegel.org.models import Board, School, Team
from spiegel.results import numbers
from spiegel.results.profiles import round_profiles
from spiegel.scoring import shown
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db
from tests.rounds.conftest import add_responses, make_round, staff

HIDDEN_SCHOOL, OUTSIDE_SCHOOL = "Kleine Kring School", "Ander Bestuur Instituut"


@pytest.fixture
def board_world(app):
    """Board "Kring": Atheneum (3 teams shown now, 3 before), Kleine Kring School (2 teams shown:
    below the minimum of 3), Nieuw Lyceum (no rounds). Another board's school must never show."""
    board = Board(name="Kring")
    atheneum, small, new = (School(board=board, name=n) for n in ("Atheneum", HIDDEN_SCHOOL, "Nieuw Lyceum"))
    outside = School(board=Board(name="Elders"), name=OUTSIDE_SCHOOL)
    teams = {s.name: [Team(school=s, name=f"{s.name} {i}") for i in range(3)] for s in (atheneum, small, outside)}
    db.session.add_all([board, outside])
    db.session.commit()
    before = make_round(atheneum, teams["Atheneum"], name="Afname 2025", opens=-400, closes=-380)
    now = make_round(atheneum, teams["Atheneum"], name="Afname 2026", opens=-20, closes=-1)
    for round_team in before.round_teams:
        add_responses(round_team, 3, value=3)
    for round_team, value in zip(now.round_teams, (4, 5, 2)):
        add_responses(round_team, 3, value=value)
    small_round = make_round(small, teams[HIDDEN_SCHOOL], name="Kleine afname", opens=-20, closes=-1)
    for round_team, count in zip(small_round.round_teams, (3, 3, 2)):
        add_responses(round_team, count, value=1)
    outside_round = make_round(outside, teams[OUTSIDE_SCHOOL], name="Elders", opens=-20, closes=-1)
    for round_team in outside_round.round_teams:
        add_responses(round_team, 3, value=4)
    return {"board": board, "atheneum": atheneum, "small": small, "new": new, "before": before, "now": now,
            "small_round": small_round}


def test_school_means_come_from_the_results_service_and_the_minimum_holds(board_world):
    w = board_world
    data = board_results(w["board"], "groups", utcnow())
    rows = {row.school.name: row for row in data.rows}
    assert list(rows) == ["Atheneum", HIDDEN_SCHOOL, "Nieuw Lyceum"]  # never another board's school
    labels = [c.label for c in data.columns]
    assert labels == ["I", "P", "S", "R", "L"]

    summary, earlier = round_profiles(w["now"].id).result.school, round_profiles(w["before"].id).result.school
    atheneum = rows["Atheneum"]
    assert atheneum.latest.round.id == w["now"].id and atheneum.previous.round.id == w["before"].id
    assert atheneum.latest.shown_teams == 3
    assert atheneum.values == {label: summary.means[label] for label in labels}
    # the change as the reader computes it from the printed means
    assert atheneum.deltas == {label: shown.difference(summary.means[label], earlier.means[label]) for label in labels}

    small = rows[HIDDEN_SCHOOL]
    assert small.latest is not None and small.latest.shown_teams == 2 and not small.shown and small.values == {}
    assert rows["Nieuw Lyceum"].latest is None
    # The board mean counts only the school shown: the small school's 1.00s never enter it.
    assert data.mean == atheneum.values and data.schools_in_mean == {label: 1 for label in labels}
    assert data.change == pytest.approx(atheneum.deltas)


@pytest.mark.parametrize("language, title, fewer", [
    ("nl", "Scholen naast elkaar", "Minder dan 3 teams getoond"),
    ("en", "Schools side by side", "Fewer than 3 teams shown"),
    ("fr", "Écoles côte à côte", "Moins de 3 équipes affichées"),
])
def test_board_staff_see_their_board_in_their_language_without_drill_down(board_world, client, login, language,
                                                                          title, fewer):
    w = board_world
    user = staff("board", board=w["board"])
    login(client, user)
    page = client.get(f"/boards/{w['board'].id}/results", headers={"Accept-Language": language})
    assert page.status_code == 200
    text = page.text
    assert title in text and fewer in text and "Atheneum" in text and OUTSIDE_SCHOOL not in text
    # One decimal, half up, as every shown score (spiegel.scoring.shown), in the reader's language.
    means = round_profiles(w["now"].id).result.school.means
    assert f'<span class="num">{numbers.score(means["I"], language)}</span>' in text
    assert not re.search(r'<span class="num">\d[.,]\d\d', text)
    assert f'<span class="num">{numbers.score(1, language)}</span>' not in text  # the small school answered 1s
    # Why the small school shows no numbers is said beside its name, in sight on a phone.
    assert re.search(rf'{HIDDEN_SCHOOL}(?:(?!<td).)*{fewer}(?:(?!<td).)*</th>', text, re.S)
    # No drill-down: the board role sees no school's own pages.
    assert f"/schools/{w['atheneum'].id}" not in text and f"/rounds/{w['now'].id}/compare" not in text
    assert client.get(f"/schools/{w['atheneum'].id}").status_code == 404
    assert client.get(f"/rounds/{w['now'].id}/compare").status_code == 404
    other = db.session.scalar(db.select(Board.id).where(Board.name == "Elders"))
    assert client.get(f"/boards/{other}/results").status_code == 404
    pillars = client.get(f"/boards/{w['board'].id}/results?view=pillars", headers={"Accept-Language": language})
    assert pillars.status_code == 200


def test_drill_down_links_follow_the_viewers_scope(board_world, client, login):
    w = board_world
    user = staff("board", board=w["board"])
    from spiegel.accounts.models import Membership

    user.memberships.append(Membership(role="coach", school_id=w["atheneum"].id))  # and coach of one school
    db.session.commit()
    login(client, user)
    text = client.get(f"/boards/{w['board'].id}/results").text
    assert f"/schools/{w['atheneum'].id}\"" in text and f"/rounds/{w['now'].id}/compare" in text
    assert f"/schools/{w['small'].id}\"" not in text
    dashboard = client.get("/dashboard").text
    assert f"/boards/{w['board'].id}/results" in dashboard
