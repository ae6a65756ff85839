"""The start page of an administrator or a multi-school user: a page of schools (search, paging) with
each school's current round and its totals; the school's rounds and teams on the school's own page."""
from spiegel.accounts.models import Membership
from spiegel.org.models import Board, School, Team
from spiegel.shared.extensions import db
from tests.rounds.conftest import add_responses, make_round, staff


def test_schools_are_paged_and_searchable_with_their_current_rounds_totals(app, client, login):
    board = Board(name="Groot Bestuur")
    schools = [School(board=board, name=f"School {i:02d}") for i in range(25)]
    db.session.add(board)
    db.session.commit()
    team = Team(school=schools[0], name="Kern")
    make_round(schools[0], [team], name="Afname vorig jaar", opens=-400, closes=-380)
    current = make_round(schools[0], [team], name="Afname dit jaar")
    add_responses(current.round_teams[0], 4)
    add_responses(current.round_teams[0], 2, submitted=False)
    login(client, staff("admin"))

    first = client.get("/dashboard").text
    assert "25 schools" in first or "25 scholen" in first
    assert "School 00" in first and "School 19" in first and "School 20" not in first
    assert "Afname dit jaar" in first and "Afname vorig jaar" not in first  # the current round only
    assert "6 begonnen, 4 verstuurd" in first
    second = client.get("/dashboard?page=2").text
    assert "School 20" in second and "School 24" in second and "School 19" not in second
    found = client.get("/dashboard?q=chool%2007").text
    assert "School 07" in found and "School 08" not in found
    assert "School 24" in client.get("/dashboard?page=99").text  # beyond the end: the last page
    assert client.get("/dashboard?page=-3&q=" + "x" * 500).status_code == 200

    school_page = client.get(f"/schools/{schools[0].id}").text
    assert "Afname dit jaar" in school_page and "Afname vorig jaar" in school_page and "Kern" in school_page


def test_a_coach_of_two_schools_gets_the_list_and_only_their_schools(app, client, login):
    board = Board(name="Bestuur")
    mine, theirs, hidden = (School(board=board, name=n) for n in ("Mijn Een", "Mijn Twee", "Niet Mijn"))
    db.session.add(board)
    db.session.commit()
    coach = staff("coach", school=mine)
    coach.memberships.append(Membership(role="coach", school_id=theirs.id))
    db.session.commit()
    login(client, coach)
    page = client.get("/dashboard").text
    assert "Mijn Een" in page and "Mijn Twee" in page and "Niet Mijn" not in page
    assert client.get(f"/schools/{hidden.id}").status_code == 404
