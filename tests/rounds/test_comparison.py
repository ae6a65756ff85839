"""The leader's comparison (heat map) and trend: numbers straight from the scoring service, suppressed
teams shown as suppressed, bipolar elements as pole positions."""
import re

import pytest

from spiegel.results.profiles import release_early, round_profiles
from spiegel.rounds.comparison import available_views, heatmap, trend
from tests.rounds.conftest import add_responses, make_round, release


@pytest.fixture
def leader(world, client, login):
    login(client, world.users["leader"])
    client.get("/lang/en")
    return client


def test_heatmap_takes_every_number_from_scoring(world, app):
    profiles = round_profiles(world.own_round.id)
    with app.test_request_context():
        table = heatmap(world.own_round, "groups", profiles)
    assert [row.team for row in table.rows] == ["Alfa", "Beta", "Gamma"]
    alfa, beta, gamma = table.rows
    assert gamma.fewer_than == 3 and gamma.size is None and gamma.cells == ()
    assert alfa.size == 4 and beta.size == 3
    labels = [c.label for c in table.columns]
    assert labels == ["I", "P", "S", "R", "L", "D", "BV"]
    alfa_profile = profiles.teams[alfa.round_team_id].profile
    for column, cell in zip(table.columns, alfa.cells):
        assert cell.score is alfa_profile.groups[column.label].score
        assert cell.band == alfa_profile.groups[column.label].band
    for column, cell in zip(table.columns, table.school):
        assert cell.mean == profiles.result.school.means.get(column.label)
        assert cell.teams == 2  # Gamma does not count
    assert table.shown_teams == 2


def test_elements_view_reads_bipolar_elements_as_positions(world, app):
    with app.test_request_context():
        table = heatmap(world.own_round, "elements")
    columns = {c.label: i for i, c in enumerate(table.columns)}
    assert "R2" in columns and "L5" in columns and "BV1" not in columns
    alfa = table.rows[0]
    r2 = alfa.cells[columns["R2"]]
    assert r2.bipolar and r2.band is None and r2.score is None and r2.position is not None
    assert table.columns[columns["R2"]].poles[0]["en"] == "formal"
    assert [name["en"] for name, _ in table.group_spans][:2] == ["Innovation-specific conditions",
                                                                  "Individual conditions"]
    assert sum(span for _, span in table.group_spans) == len(table.columns)


def test_views_depend_on_the_modules(world, app):
    policy_only = make_round(world.own, world.own_teams[:1], name="Alleen beleid", modules=["policy"])
    assert available_views(policy_only.instrument_modules()) == ("groups", "pillars")
    with app.test_request_context():
        assert heatmap(policy_only, "elements").view == "groups"  # unknown here: the first view


def test_compare_page(world, leader):
    page = leader.get(f"/rounds/{world.own_round.id}/compare")
    assert page.status_code == 200
    text = page.text.replace("&#39;", "'")
    assert "Fewer than 3 respondents: this team's results are not shown." in text
    assert re.search(r"band-(strength|attention|bottleneck)", text)
    # Gamma answered 5 everywhere; Alfa 4 and Beta 2: no 5.00 may appear anywhere (not in the school mean).
    assert "5.00" not in text
    assert "4.0" in text or "2.0" in text
    assert "2 teams" in text  # the school mean counts the shown teams
    elements = leader.get(f"/rounds/{world.own_round.id}/compare?view=elements")
    assert "pole-dot p" in elements.text and "pole-track" in elements.text
    assert "Formality of interactions" in elements.text
    pillars = leader.get(f"/rounds/{world.own_round.id}/compare?view=pillars")
    assert "Shared leadership" in pillars.text and "Relational conditions" not in pillars.text
    assert leader.get(f"/rounds/{world.own_round.id}/compare?view=nonsense").status_code == 200


@pytest.mark.parametrize("lang, phrase", [("nl", "minder dan 3"), ("fr", "moins de 3"), ("en", "fewer than 3")])
def test_compare_page_in_every_language(world, leader, lang, phrase):
    leader.get(f"/lang/{lang}")
    for view in ("groups", "elements", "pillars"):
        page = leader.get(f"/rounds/{world.own_round.id}/compare?view={view}")
        assert page.status_code == 200 and phrase in page.text, view


def test_a_school_coach_sees_the_comparison_but_cannot_manage(world, client, login):
    login(client, world.users["school_coach"])
    page = client.get(f"/rounds/{world.own_round.id}/compare")
    assert page.status_code == 200 and f'/rounds/{world.own_round.id}"' not in page.text


def test_trend_of_a_team_and_of_the_school(world, leader, app):
    earlier = make_round(world.own, world.own_teams[:2], name="Afname 2025", opens=-400, closes=-370)
    add_responses(earlier.round_teams[0], 3, value=2)  # Alfa: lower last year
    add_responses(earlier.round_teams[1], 2, value=3)  # Beta: below the minimum then
    alfa = world.own_teams[0]
    with app.test_request_context():
        data = trend([world.own_round, earlier], alfa)
    assert [p.round_name for p in data.points] == ["Afname 2025", "Afname 2026"]
    before, now = data.points
    assert before.size == 3 and now.size == 4
    assert before.values["P"].mean < now.values["P"].mean
    with app.test_request_context():
        beta = trend([world.own_round, earlier], world.own_teams[1])
        gamma = trend([world.own_round, earlier], world.own_teams[2])
    assert beta.points[0].fewer_than == 3 and beta.points[0].values == {}
    assert gamma.points[0].present is False

    page = leader.get(f"/schools/{world.own.id}/trend?team={alfa.id}")
    assert page.status_code == 200 and "<svg" in page.text and "trend-lines" in page.text
    assert "Afname 2025" in page.text and "Afname 2026" in page.text
    school = leader.get(f"/schools/{world.own.id}/trend")
    assert school.status_code == 200 and "School mean" in school.text
    beta_page = leader.get(f"/schools/{world.own.id}/trend?team={world.own_teams[1].id}")
    assert "fewer than 3" in beta_page.text
    assert leader.get(f"/schools/{world.own.id}/trend?team=abc").status_code == 200  # ignored: the school


def test_drill_down_to_the_mirror_of_shown_teams(world, leader, web):
    if "reports.mirror" not in web.view_functions:
        pytest.skip("the reports feature is not installed")
    page = leader.get(f"/rounds/{world.own_round.id}/compare")
    alfa, gamma = world.rt(world.own_round, "Alfa").id, world.rt(world.own_round, "Gamma").id
    assert f'href="/mirror/{alfa}"' in page.text
    assert f'href="/mirror/{gamma}"' not in page.text  # a suppressed team has no mirror to show
    detail = leader.get(f"/rounds/{world.own_round.id}")
    assert f'href="/mirror/{alfa}.pdf"' in detail.text


def _leaders_round(world, leaders_per_team):
    """A round of the three teams, three teachers each and one leader (answering ``value``) per team
    listed, released."""
    round_ = make_round(world.own, world.own_teams, name="Leiders samen")
    for name in ("Alfa", "Beta", "Gamma"):
        add_responses(world.rt(round_, name), 3, value=3)
    for name, value in leaders_per_team.items():
        add_responses(world.rt(round_, name), 1, value=value, role="leader")
    release(round_)
    return round_


def _leaders_section(text):
    start = text.index('id="school-leaders"')
    return text[start:text.index("</section>", start)]


def test_the_schools_leaders_together_show_l6_on_the_compare_page(world, app, leader):
    round_ = _leaders_round(world, {"Alfa": 5, "Beta": 4, "Gamma": 4})
    profiles = round_profiles(round_.id)
    assert all(not team.profile.scores["L6"].shown for team in profiles.teams.values())
    with app.test_request_context():
        cells = heatmap(round_, "groups", profiles).leaders
    assert [(c.column.label, c.score.n, c.score.mean) for c in cells] == [("L6", 3, profiles.result.leaders["L6"].mean)]
    assert cells[0].score.mean == pytest.approx(13 / 3)
    section = _leaders_section(leader.get(f"/rounds/{round_.id}/compare").text.replace("&#39;", "'"))
    assert "Leadership networks" in section and ">4.3<" in section and ">3<" in section


def test_the_schools_leaders_are_hidden_below_the_minimum(world, leader):
    round_ = _leaders_round(world, {"Alfa": 5, "Beta": 4})
    section = _leaders_section(leader.get(f"/rounds/{round_.id}/compare").text)
    assert "Leadership networks" in section and "fewer than 3" in section
    assert "4.5" not in section and "class=\"num\"" not in section


def test_leaders_of_unreleased_teams_do_not_count(world, leader):
    round_ = make_round(world.own, world.own_teams, name="Nog open")
    for name in ("Alfa", "Beta", "Gamma"):
        add_responses(world.rt(round_, name), 3, value=3)
        add_responses(world.rt(round_, name), 1, value=5, role="leader")
    release_early(world.rt(round_, "Alfa"))
    release_early(world.rt(round_, "Beta"))
    assert not round_profiles(round_.id).result.leaders["L6"].shown
