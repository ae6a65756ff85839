"""Posters (vector QR code, code, closing date, round language, absolute link), the live counter
(numbers only, JSON + static script, no inline code), and the staff dashboard."""
import json
import re

import pytest

from spiegel.shared.extensions import db
from spiegel.shared.qr import qr_code
from tests.rounds.conftest import add_responses, make_round


@pytest.fixture
def leader(world, client, login):
    login(client, world.users["leader"])
    client.get("/lang/en")
    return client


def test_poster_in_the_rounds_language_with_vector_qr_code(world, leader):
    round_ = make_round(world.own, world.own_teams[:2], name="Afname FR", language="fr")
    round_team = round_.round_teams[0]
    page = leader.get(f"/rounds/{round_.id}/posters/{round_team.id}")
    assert page.status_code == 200
    text = page.text.replace("&#39;", "'")
    assert text.count('class="poster"') == 1
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart qr-code"' in text
    assert "<img" not in text  # vector, inline
    assert round_team.code in text and f"http://localhost/t/{round_team.code}" in text
    assert "Ouvert jusqu'au" in text  # French, although the leader reads English
    assert 'lang="fr"' in text
    # The staff member's own language is unchanged afterwards.
    assert "Compare teams" in leader.get(f"/rounds/{round_.id}").text


def test_all_posters_of_a_round_and_the_public_url(world, leader, web):
    web.config["PUBLIC_URL"] = "https://spiegel.school.example/"
    try:
        page = leader.get(f"/rounds/{world.own_round.id}/posters")
    finally:
        web.config.pop("PUBLIC_URL")
    assert page.text.count('class="poster"') == 3
    for round_team in world.own_round.round_teams:
        assert f"https://spiegel.school.example/t/{round_team.code}" in page.text
    assert "spiegel.school.example" in page.text
    assert "Geheimteam" not in page.text


def test_qr_code_is_a_scalable_path():
    svg = qr_code("https://spiegel.example/t/ABCDEFG", title="QR")
    assert svg.startswith("<svg") and 'viewBox="0 0 ' in svg and "<path d=\"M" in svg
    assert "style=" not in svg and "<title" in svg
    assert qr_code("https://spiegel.example/t/ABCDEFG", title="QR") == svg  # stable markup


def test_live_counter_json_counts_numbers_only(world, leader):
    alfa = world.rt(world.own_round, "Alfa")
    add_responses(alfa, 2, submitted=False)
    response = leader.get(f"/rounds/{world.own_round.id}/live.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.data)
    assert data["teams"][str(alfa.id)] == {"started": "6", "submitted": "4"}
    gamma = world.rt(world.own_round, "Gamma")
    # Issue 15, attack 4: a team below the minimum shows no exact count, and the total minus the
    # teams shown does not give it either (the total adds up only the teams shown).
    assert data["teams"][str(gamma.id)] == {"started": "fewer than 3", "submitted": "fewer than 3"}
    assert data["total"] == {"started": "at least 9", "submitted": "at least 7"}
    assert data["status"] == "open"
    flat = json.dumps(data)
    assert "item" not in flat and "answer" not in flat and "value" not in flat


def test_live_page_works_without_javascript_and_loads_a_static_script(world, leader):
    page = leader.get(f"/rounds/{world.own_round.id}/live")
    assert page.status_code == 200
    assert f'data-live-url="/rounds/{world.own_round.id}/live.json"' in page.text
    assert '<script src="/static/live.js" defer></script>' in page.text
    alfa = world.rt(world.own_round, "Alfa")
    assert re.search(rf'data-rt="{alfa.id}" data-kind="submitted">4<', page.text)
    script = leader.get("/static/live.js")
    assert script.status_code == 200 and b"setTimeout" in script.data
    script.close()


PAGES = ["/dashboard", "/org/", "/org/schools/{sid}", "/org/teams/{tid}", "/schools/{sid}/rounds/new",
         "/rounds/{rid}", "/rounds/{rid}/edit", "/rounds/{rid}/delete", "/rounds/{rid}/posters",
         "/rounds/{rid}/live", "/rounds/{rid}/compare", "/rounds/{rid}/compare?view=elements",
         "/schools/{sid}/trend"]


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_pages_render_in_every_language_without_inline_code(world, leader, lang):
    """The Content-Security-Policy forbids inline scripts and styles: the pages use none."""
    leader.get(f"/lang/{lang}")
    ids = {"sid": world.own.id, "tid": world.own_teams[0].id, "rid": world.own_round.id}
    for path in PAGES:
        page = leader.get(path.format(**ids))
        assert page.status_code == 200, path
        assert f'<html lang="{lang}">' in page.text or "posters" in path, path
        assert "style=" not in page.text, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), path
        assert "<style" not in page.text, path


def test_dashboard_for_a_leader(world, leader):
    page = leader.get("/dashboard")
    assert "Noord Lyceum" in page.text and "Afname 2026" in page.text
    assert "at least 7 started, at least 7 submitted" in page.text and "3 teams" in page.text
    assert "2 started" not in page.text  # Gamma: fewer than 3
    for link in (f"/rounds/{world.own_round.id}", f"/rounds/{world.own_round.id}/posters",
                 f"/rounds/{world.own_round.id}/live", f"/rounds/{world.own_round.id}/compare",
                 f"/rounds/{world.own_round.id}/export.csv", f"/schools/{world.own.id}/rounds/new"):
        assert f'href="{link}"' in page.text, link


def test_dashboard_for_a_school_coach_and_a_facilitator(world, client, login, web):
    login(client, world.users["school_coach"])
    page = client.get("/dashboard")
    assert f'href="/rounds/{world.own_round.id}/compare"' in page.text
    assert f'href="/rounds/{world.own_round.id}/posters"' not in page.text  # not a manager
    assert "/rounds/new" not in page.text

    other = web.test_client()
    login(other, world.users["facilitator"])
    page = other.get("/dashboard")
    assert "Alfa" in page.text and "Beta" not in page.text
    assert "/compare" not in page.text and "/posters" not in page.text
    if "reports.mirror" in web.view_functions:
        assert f'href="/mirror/{world.rt(world.own_round, "Alfa").id}"' in page.text


def test_archived_school_leaves_the_dashboard(world, leader):
    world.own.archived = True
    db.session.commit()
    assert "Noord Lyceum" not in leader.get("/dashboard").text


def study_day_url(world, team_name, round_=None):
    round_ = round_ or world.own_round
    return f"/rounds/{round_.id}/teams/{world.rt(round_, team_name).id}/study-day"


def test_a_facilitator_sees_their_teams_study_day_page(world, client, login):
    """Issue 16: the facilitator in front of the team had no way to its code, QR or count."""
    login(client, world.users["facilitator"])  # facilitator of Alfa (4 responses)
    client.get("/lang/en")
    dashboard = client.get("/dashboard").text
    url = study_day_url(world, "Alfa")
    assert f'href="{url}"' in dashboard
    page = client.get(url)
    assert page.status_code == 200
    code = world.rt(world.own_round, "Alfa").code
    assert f'<p class="study-day-code">{code}</p>' in page.text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart qr-code"' in page.text
    assert f"http://localhost/t/{code}" in page.text
    assert re.search(r'data-kind="started">4</span>', page.text)
    assert '<script src="/static/live.js" defer></script>' in page.text
    assert "<script>" not in page.text and "style=" not in page.text
    counts = client.get(url + ".json")
    assert counts.headers["Cache-Control"] == "no-store"
    rt_id = str(world.rt(world.own_round, "Alfa").id)
    assert counts.json == {"teams": {rt_id: {"started": "4", "submitted": "4"}}}


def test_the_study_day_page_of_another_team_or_round_is_404(world, client, login):
    from tests.rounds.conftest import staff

    beta = staff("facilitator", team=world.own_teams[1])
    login(client, beta)
    assert client.get(study_day_url(world, "Beta")).status_code == 200
    assert client.get(study_day_url(world, "Alfa")).status_code == 404
    assert client.get(study_day_url(world, "Alfa") + ".json").status_code == 404
    # Its own team under another round's id: 404 as well.
    rt = world.rt(world.own_round, "Beta")
    assert client.get(f"/rounds/{world.other_round.id}/teams/{rt.id}/study-day").status_code == 404


@pytest.mark.parametrize("lang, fewer", [("en", "fewer than 3"), ("nl", "minder dan 3"), ("fr", "moins de 3")])
def test_a_count_below_the_minimum_shows_as_fewer_than_n(world, client, login, lang, fewer):
    from tests.rounds.conftest import staff

    login(client, staff("facilitator", team=world.own_teams[2]))  # Gamma: 2 responses
    client.get(f"/lang/{lang}")
    url = study_day_url(world, "Gamma")
    page = client.get(url).text
    assert f'data-kind="started">{fewer}</span>' in page and f'data-kind="submitted">{fewer}</span>' in page
    assert not re.search(r'data-kind="\w+">2</span>', page)
    rt_id = str(world.rt(world.own_round, "Gamma").id)
    assert client.get(url + ".json").json == {"teams": {rt_id: {"started": fewer, "submitted": fewer}}}
