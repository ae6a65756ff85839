"""The team conversation: its steps, the team's notes in the mirror and PDF text, the focus vote on the
phones (anonymous, once per response, hidden below the minimum), the plan from the chosen focus points,
and the plan's owner roles."""
import re

import pytest
from sqlalchemy import inspect, select

from spiegel.conversation import services
from spiegel.plans import notes
from spiegel.plans import services as plans
from spiegel.plans.models import Plan, PlanAction, TeamNote
from spiegel.reports.services import render_report_html, team_report
from spiegel.shared.extensions import db
from spiegel.survey import votes
from spiegel.survey.models import Ballot, Tally, Vote
from tests.conftest import fresh
from tests.survey_helpers import csrf_token


@pytest.fixture
def team(scored_team, facilitator, client):
    facilitator(scored_team)
    return scored_team


def steps_of(round_team):
    return services.steps(team_report(round_team, "en", medium="web"))


def step_number(round_team, kind, element_id=None):
    for step in steps_of(round_team):
        if step.kind == kind and (element_id is None or step.highlight.id == element_id):
            return step.number
    raise AssertionError(kind)


# -- the steps --------------------------------------------------------------------------------------

def test_steps_follow_the_mirror(team):
    report = team_report(team, "en", medium="web")
    found = services.steps(report)
    kinds = [s.kind for s in found]
    assert kinds[:2] == ["overview", "strengths"] and kinds[-2:] == ["focus", "plan"]
    assert [s.pattern.id for s in found if s.kind == "pattern"] == [p.id for p in report.patterns]
    notes = [(s.band, s.highlight.id) for s in found if s.kind == "note"]
    # the fixture's bottlenecks I3 and S1 and its attention point P2, each on a screen of its own
    assert ("bottleneck", "I3") in notes and ("bottleneck", "S1") in notes and ("attention", "P2") in notes
    assert [n for n in notes if n[0] == "attention"] == [("attention", h.id) for h in report.attention]
    assert [s.number for s in found] == list(range(1, len(found) + 1))


def test_a_suppressed_team_has_no_conversation(make_round_team, answer_team, make_user, login, client):
    round_team = answer_team(make_round_team(status="closed"), n=2)
    assert steps_of(round_team) == []
    login(client, make_user("facilitator", team=round_team.team))
    response = client.get(f"/conversation/{round_team.id}/1")
    assert response.status_code == 302 and f"/mirror/{round_team.id}" in response.headers["Location"]


def test_every_step_renders_in_the_teams_language(team, client):
    client.get("/lang/nl")
    total = len(steps_of(team))
    for number in range(1, total + 1):
        page = client.get(f"/conversation/{team.id}/{number}")
        assert page.status_code == 200, number
        assert f"Stap {number} van {total}" in page.text
        assert 'style="' not in page.text and "<script>" not in page.text
        assert ('rel="next"' in page.text) == (number < total) and ('rel="prev"' in page.text) == (number > 1)
    assert client.get(f"/conversation/{team.id}/{total + 1}").status_code == 404
    assert client.get(f"/conversation/{team.id}/0").status_code == 404


def test_overview_step_shows_the_mirror_chart_and_key(team, client):
    page = client.get(f"/conversation/{team.id}/1").text
    report = team_report(team, "en", medium="web")
    assert str(report.overview_chart)[:200] in page and "Key to the charts" in page


def test_only_facilitators_of_a_released_team(scored_team, make_round_team, make_user, login, client, web):
    team = scored_team
    other = make_round_team(team="Team B", status="open")
    login(client, make_user("facilitator", team=other.team))
    assert client.get(f"/conversation/{team.id}/1").status_code == 404  # another team's
    assert client.get("/conversation/99999/1").status_code == 404
    # a coach may see the mirror but does not facilitate
    coach = web.test_client()
    login(coach, make_user("coach", team=team.team))
    assert coach.get(f"/mirror/{team.id}").status_code == 200
    assert coach.get(f"/conversation/{team.id}/1").status_code == 404
    # not released: the mirror explains
    facilitator = web.test_client()
    login(facilitator, make_user("facilitator", team=other.team))
    response = facilitator.get(f"/conversation/{other.id}/1")
    assert response.status_code == 302 and f"/mirror/{other.id}" in response.headers["Location"]


# -- the team's notes ---------------------------------------------------------------------------------

def test_a_note_is_stored_and_shown_in_the_mirror_and_the_pdf(team, client):
    number = step_number(team, "note", "S1")
    page = client.get(f"/conversation/{team.id}/{number}")
    response = client.post(f"/conversation/{team.id}/{number}/note",
                           data={"csrf_token": csrf_token(page.text), "text": "  Roosters laten geen overleg toe.  "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{number + 1}")
    fresh()
    note = db.session.scalar(select(TeamNote).where(TeamNote.round_team_id == team.id))
    assert (note.element_id, note.text) == ("S1", "Roosters laten geen overleg toe.")
    mirror = client.get(f"/mirror/{team.id}").text
    assert "Roosters laten geen overleg toe." in mirror and "follow-up list" in mirror
    html = render_report_html(team_report(team, "fr"))
    assert re.search(r"<strong>[^<]+</strong> — Roosters laten geen overleg toe\.", html)
    # shown again in its form, and changed rather than added
    assert "Roosters laten geen overleg toe." in client.get(f"/conversation/{team.id}/{number}").text
    notes.save_note(team, "S1", "Anders")
    notes.save_note(team, "S1", "")
    assert notes.notes_of(team.id) == {}


def test_a_note_for_an_unknown_element_or_too_long_is_refused(team, client):
    with pytest.raises(ValueError):
        notes.save_note(team, "ZZ9", "x")
    with pytest.raises(ValueError):
        notes.save_note(team, "S1", "x" * 2001)
    number = step_number(team, "note", "S1")
    page = client.get(f"/conversation/{team.id}/{number}")
    response = client.post(f"/conversation/{team.id}/{number}/note",
                           data={"csrf_token": csrf_token(page.text), "text": "x" * 2001})
    assert response.status_code == 400 and "at most 2000 characters" in response.text
    # the note route of a step that is not a note
    assert client.post(f"/conversation/{team.id}/1/note",
                       data={"csrf_token": csrf_token(page.text), "text": "x"}).status_code == 404


# -- the vote ------------------------------------------------------------------------------------------

def test_votes_are_anonymous_one_set_per_device_and_hidden_below_the_minimum(team, app):
    vote = votes.open_vote(team, ["I3", "S1", "P2"])
    assert votes.cast(vote, "device-1", ["I3", "S1"])
    assert not votes.cast(vote, "device-1", ["P2"])  # one set of votes per response
    assert votes.cast(vote, "device-2", ["I3"])
    with pytest.raises(ValueError):
        votes.cast(vote, "device-3", ["I3", "S1", "P2", "R3"])  # more than three, and not a candidate
    with pytest.raises(ValueError):
        votes.cast(vote, "device-3", [])
    # nothing shown while open, nor below the minimum once closed
    assert votes.results(vote).counts == () and votes.results(vote).voters == 2
    votes.close_vote(vote)
    closed = votes.results(vote)
    assert not closed.shown and closed.counts == ()
    # the ballot holds no choice and no token: only a hash that is not the response's token hash
    assert {c.key for c in inspect(Ballot).columns} == {"id", "vote_id", "voter_hash"}
    assert db.session.scalar(select(Ballot.voter_hash).limit(1)) not in ("device-1", votes.voter_hash("device-3"))


def test_results_show_once_the_minimum_voted_and_the_vote_closed(team, app):
    vote = votes.open_vote(team, ["I3", "S1", "P2"])
    for device, choice in (("a", ["I3", "S1"]), ("b", ["I3"]), ("c", ["P2", "I3", "S1"])):
        assert votes.cast(vote, device, choice)
    assert not votes.results(vote).shown  # still open: counts would give away the latest voter
    votes.close_vote(vote)
    assert not votes.cast(vote, "d", ["P2"])  # closed
    shown = votes.results(vote)
    assert shown.shown and shown.counts == (("I3", 3), ("S1", 2), ("P2", 1))
    # a new vote starts afresh
    again = votes.open_vote(team, ["S1", "P2"])
    fresh()
    assert db.session.scalar(select(Vote.id)) == again.id
    assert sorted(db.session.scalars(select(Tally.count).where(Tally.vote_id == again.id))) == [0, 0]


def test_phones_vote_through_the_team_code(team, client, web):
    number = step_number(team, "focus")
    page = client.get(f"/conversation/{team.id}/{number}")
    assert "Open the vote" in page.text
    token = csrf_token(page.text)
    assert client.post(f"/conversation/{team.id}/vote/open", data={"csrf_token": token, "elements": ["I3"]}) \
        .status_code == 400  # at least two candidates
    client.post(f"/conversation/{team.id}/vote/open", data={"csrf_token": token, "elements": ["I3", "S1", "P2"]})
    phones = [web.test_client() for _ in range(3)]
    for index, phone in enumerate(phones):
        joined = phone.get(f"/t/{team.code}")
        assert joined.status_code == 302 and joined.headers["Location"].endswith(f"/t/{team.code}/vote")
        form = phone.get(f"/t/{team.code}/vote")
        assert form.status_code == 200 and "Je drie stemmen" in form.text  # the team's language, nl
        sent = phone.post(f"/t/{team.code}/vote", data={"csrf_token": csrf_token(form.text),
                                                       "elements": ["I3", "S1"] if index else ["P2"]})
        assert sent.status_code == 200 and "je stemmen zijn geteld" in sent.text
        again = phone.post(f"/t/{team.code}/vote", data={"csrf_token": csrf_token(form.text), "elements": ["P2"]})
        assert "je stemmen zijn geteld" in again.text  # the second set is not counted
    too_many = web.test_client()
    form = too_many.get(f"/t/{team.code}/vote")
    bad = too_many.post(f"/t/{team.code}/vote", data={"csrf_token": csrf_token(form.text),
                                                     "elements": ["I3", "S1", "P2", "R3"]})
    assert bad.status_code == 400
    open_page = client.get(f"/conversation/{team.id}/{number}").text
    assert "3 colleagues have voted." in open_page and "2 votes" not in open_page
    client.post(f"/conversation/{team.id}/vote/close", data={"csrf_token": token})
    closed = client.get(f"/conversation/{team.id}/{number}").text
    fresh()
    counts = dict(db.session.execute(select(Tally.element_id, Tally.count)).all())
    assert counts == {"I3": 2, "S1": 2, "P2": 1}
    assert "2 votes" in closed and "1 vote" in closed
    # the team link is the questionnaire's again once the vote is closed
    assert phones[0].get(f"/t/{team.code}").headers.get("Location", "").endswith("/vote") is False


def test_a_vote_below_the_minimum_shows_no_result(team, client, web):
    number = step_number(team, "focus")
    token = csrf_token(client.get(f"/conversation/{team.id}/{number}").text)
    client.post(f"/conversation/{team.id}/vote/open", data={"csrf_token": token, "elements": ["I3", "S1"]})
    for _ in range(2):
        phone = web.test_client()
        form = phone.get(f"/t/{team.code}/vote")
        phone.post(f"/t/{team.code}/vote", data={"csrf_token": csrf_token(form.text), "elements": ["I3"]})
    client.post(f"/conversation/{team.id}/vote/close", data={"csrf_token": token})
    page = client.get(f"/conversation/{team.id}/{number}").text
    assert "Fewer than 3 colleagues voted" in page and "2 votes" not in page


def test_no_vote_open_on_the_phone(team, web):
    phone = web.test_client()
    page = phone.get(f"/t/{team.code}/vote")
    assert page.status_code == 200 and "geen stemming open" in page.text
    assert phone.post(f"/t/{team.code}/vote", data={"elements": ["I3"]}).status_code in (400, 409)


# -- the plan from the chosen focus points ----------------------------------------------------------

def test_the_plan_is_built_from_the_chosen_focus_points(team, client):
    default = plans.proposal_for(team).focus
    chosen = ["P2", "S1"]
    assert list(default) != chosen
    number = step_number(team, "focus")
    token = csrf_token(client.get(f"/conversation/{team.id}/{number}").text)
    response = client.post(f"/conversation/{team.id}/focus", data={"csrf_token": token, "elements": chosen})
    total = len(steps_of(team))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/{total}")
    fresh()
    plan = db.session.scalar(select(Plan).where(Plan.round_team_id == team.id))
    assert plan.generated and sorted(plan.focus) == sorted(chosen)
    assert plan.focus == ["S1", "P2"]  # in the order the screen lists them: the priority list's
    library = plans.load_library()
    first = [a.action_id for a in plan.sprints[0].actions]
    assert len(first) == 2 and all(set(library.actions[a].elements) & set(chosen) for a in first)
    page = client.get(f"/conversation/{team.id}/{total}").text
    assert "Edit the plan" in page and f"/plan/{team.id}" in page
    # the mirror shows the team's focus points
    assert [f.element_id for f in team_report(team, "en").focus] == plan.focus


def test_choosing_again_changes_the_focus_of_the_existing_plan(team, client):
    number = step_number(team, "focus")
    token = csrf_token(client.get(f"/conversation/{team.id}/{number}").text)
    client.post(f"/conversation/{team.id}/focus", data={"csrf_token": token, "elements": ["S1", "I3"]})
    client.post(f"/conversation/{team.id}/focus", data={"csrf_token": token, "elements": ["P2"]})
    fresh()
    assert db.session.scalars(select(Plan.focus)).all() == [["P2"]]
    bad = client.post(f"/conversation/{team.id}/focus", data={"csrf_token": token, "elements": ["S1", "I3", "P2", "R3"]})
    assert bad.status_code == 400
    assert client.post(f"/conversation/{team.id}/focus", data={"csrf_token": token, "elements": ["D1"]}).status_code == 400


# -- roles in the plan ---------------------------------------------------------------------------------

@pytest.mark.parametrize("owners, missing", [
    (["team", "leadership", "coordinator"], []),
    (["team", "team"], ["leader", "line"]),
    (["Jan (teamleider)", "docenten", "kwaliteitszorg"], []),
    (["Jan (teamleider)"], ["teacher", "line"]),
    (["L'équipe", "la direction", "Qualité / accompagnement"], []),
    (["HR", "teachers"], ["leader"]),
])
def test_missing_roles(owners, missing, team):
    plan = plans.create_plan(team, generate=True, language="en")
    actions = [a for s in plan.sprints for a in s.actions]
    for action, owner in zip(actions, owners + [owners[-1]] * len(actions)):
        if owner in ("team", "leadership", "coordinator", "board"):
            action.owner_role, action.owner = owner, ""
        else:
            action.owner_role, action.owner = None, owner
    db.session.commit()
    assert notes.missing_roles(plan) == missing


def test_the_plan_page_warns_about_missing_roles(team, client):
    plan = plans.create_plan(team, generate=True, language="en")
    for action in db.session.scalars(select(PlanAction)):
        action.owner_role, action.owner = "team", ""
    db.session.commit()
    page = client.get(f"/plan/{team.id}").text
    warning = page.split("Missing among the owners of this plan:")[1].split(". A plan")[0]
    assert "a leader (team leader" in warning and "someone from the line" in warning and "a teacher" not in warning
    actions = db.session.scalars(select(PlanAction).order_by(PlanAction.id)).all()
    for action, role in zip(actions, ("leadership", "coordinator")):
        action.owner_role = role
    db.session.commit()
    assert "Missing among the owners" not in client.get(f"/plan/{team.id}").text
    assert plan.sprints


@pytest.mark.pdf
def test_the_notes_are_in_the_printed_pdf(team, tmp_path):
    from spiegel.reports.services import team_pdf
    from tests.reports.test_pdf import flat, pdf_text

    notes.save_note(team, "I3", "Niemand kijkt naar de resultaten van de pilot.")
    notes.save_note(team, "P2", "Weinig ruimte voor eigen keuzes.")
    path = tmp_path / "mirror.pdf"
    path.write_bytes(team_pdf(team, "nl"))
    text = flat(pdf_text(path))
    assert "toelichting van het team (opvolglijst)" in text
    assert "Niemand kijkt naar de resultaten van de pilot." in text and "Weinig ruimte voor eigen keuzes." in text


def test_the_teams_words_appear_in_its_next_mirror(team, answer_team):
    from datetime import timedelta

    from spiegel.results.profiles import release_early
    from spiegel.rounds.models import Round, RoundTeam
    from spiegel.shared.clock import utcnow

    notes.save_note(team, "S1", "Geen overlegtijd in het rooster.")
    old = team.round
    next_round = Round(school=old.school, name="Afname 2027", modules=old.modules,
                       instrument_versions=old.instrument_versions, innovation_name=old.innovation_name,
                       opens_at=utcnow() - timedelta(hours=1), closes_at=utcnow() + timedelta(days=20))
    following = RoundTeam(round=next_round, team=team.team, code="NEXT001")
    db.session.add(following)
    db.session.commit()
    answer_team(following)
    release_early(following)
    report = team_report(following, "en", medium="web")
    assert [(n.element_id, n.text) for n in report.previous_notes] == [("S1", "Geen overlegtijd in het rooster.")]
    assert report.notes == ()  # this round's own follow-up list starts empty
    html = render_report_html(team_report(following, "nl"))
    assert "Vorige afname, in onze woorden (Round)" in html and "Geen overlegtijd in het rooster." in html


def test_with_personal_slips_only_a_phone_that_answered_votes(team, web):
    from spiegel.survey.models import Response

    team.round.access = "personal"
    db.session.commit()
    votes.open_vote(team, ["I3", "S1"])
    stranger = web.test_client()
    page = stranger.get(f"/t/{team.code}/vote")
    assert page.status_code == 403 and "persoonlijk" in page.text and 'name="elements"' not in page.text
    token = csrf_token(stranger.get("/").text)
    assert stranger.post(f"/t/{team.code}/vote", data={"csrf_token": token, "elements": ["I3"]}).status_code == 403
    # a phone with a response of this team (its cookie holds the response's token) votes
    from spiegel.shared.hashing import digest
    db.session.add(Response(round_team=team, role="teacher", language="nl", token_hash=digest("tok-1"),
                            resume_hash=digest("res-1"), submitted_on=team.round.closes_at.date()))
    db.session.commit()
    phone = web.test_client()
    phone.set_cookie(f"spiegel_{team.code}", "tok-1.RES1", domain="localhost")
    form = phone.get(f"/t/{team.code}/vote")
    assert form.status_code == 200 and 'name="elements"' in form.text
    sent = phone.post(f"/t/{team.code}/vote", data={"csrf_token": csrf_token(form.text), "elements": ["I3"]})
    assert "je stemmen zijn geteld" in sent.text
    fresh()
    assert db.session.scalar(select(Tally.count).where(Tally.element_id == "I3")) == 1


def test_the_mirror_offers_the_conversation_to_whoever_facilitates(team, client, make_user, login, web):
    assert f'href="/conversation/{team.id}/1"' in client.get(f"/mirror/{team.id}").text
    coach = web.test_client()
    login(coach, make_user("coach", team=team.team))
    assert f"/conversation/{team.id}/" not in coach.get(f"/mirror/{team.id}").text
