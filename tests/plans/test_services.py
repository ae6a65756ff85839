"""Creating, editing, reviewing and reporting plans (services, on the database)."""
from datetime import date, timedelta

import pytest
from flask_babel import force_locale

from spiegel.org.models import Team
from spiegel.plans import services, texts
from spiegel.plans.library import load_library
from spiegel.plans.models import Plan, PlanAction, Sprint
from spiegel.results.profiles import team_profile
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.extensions import db
from tests.plans.conftest import monday_after


@pytest.fixture
def en():
    """Texts are written in the current language: these tests read them in English."""
    with force_locale("en"):
        yield


def test_proposal_follows_the_priority_list(scored_team):
    result = team_profile(scored_team.id)
    actions = [i.element_id for i in result.priorities.actions]
    plan = services.create_plan(scored_team, generate=True, language="en", on=date(2020, 1, 1))
    assert plan.generated
    assert plan.focus == actions[:len(plan.focus)] and 2 <= len(plan.focus) <= 3
    assert set(plan.focus) & {"I3", "S1"}
    assert not set(plan.focus) & {i.element_id for i in result.priorities.discussion}
    assert [s.number for s in plan.sprints] == [1, 2, 3]
    closes = scored_team.round.closes_at.date()
    assert plan.sprints[0].starts_on == monday_after(closes)
    for before, after in zip(plan.sprints, plan.sprints[1:]):
        assert after.starts_on == before.ends_on + timedelta(days=3)
        assert (before.ends_on - before.starts_on).days == 6 * 7 - 3
    first = plan.sprints[0]
    with force_locale("en"):
        goal = texts.goal_text(first)
        assert goal.startswith("Get started on what should change: ")
        # what should change: the focus point's description, not only its name
        elements = services.round_elements(scored_team.round)
        for element_id in plan.focus:
            element = elements[element_id]
            if element.polarity == "unipolar":
                assert element.definition["en"].split(". ")[0] in goal
            else:  # a pole: the direction it should move in
                assert f"“{element.name['en']}” moves towards “" in goal
        assert texts.indicator_text(first).startswith("In the next round, more colleagues agree with: “")
        assert texts.owner_text(first.actions[0]) in {"The whole team", "School leadership", "Coordinator",
                                                          "School board"}
    library = load_library()
    for sprint in plan.sprints:
        assert [a.position for a in sprint.actions] == list(range(1, len(sprint.actions) + 1))
        for element_id, action in zip(plan.focus, sprint.actions):
            assert element_id in library.actions[action.action_id].elements


def test_proposal_texts_are_stored_as_ids_and_written_in_the_readers_language(scored_team):
    """A plan made while the page was in Dutch prints in French (issue 14)."""
    plan = services.create_plan(scored_team, generate=True, language="nl", on=date(2020, 1, 1))
    first, last = plan.sprints[0], plan.sprints[-1]
    assert first.goal == "" and first.generated_goal["key"] == "start" and first.generated_goal["focus"] == plan.focus
    assert first.indicator == "" and first.generated_indicator["item"]
    assert first.actions[0].owner == "" and first.actions[0].owner_role in texts.OWNER_LABELS
    with force_locale("nl"):
        assert texts.goal_text(first).startswith("Aan de slag met wat moet veranderen: ")
        assert texts.goal_text(last).startswith("Borgen en beslissen hoe we verdergaan, in de richting van: ")
        assert texts.indicator_text(first).startswith("In de volgende afname")
    with force_locale("fr"):
        report = services.plan_for_report(scored_team.id)
    sprint = report.sprints[0]
    assert sprint.goal.startswith("Se lancer sur ce qui doit changer : ")
    assert sprint.indicator.startswith("Lors de la prochaine passation")
    assert sprint.actions[0].owner in {"Toute l'équipe", "Direction", "Coordinateur", "Pouvoir organisateur"}
    assert "In de volgende" not in sprint.indicator and "Aan de slag" not in sprint.goal
    assert sprint.actions[0].serves and sprint.actions[0].serves[0].element_id in plan.focus


def test_sprint_count_and_weeks_come_from_the_round(scored_team):
    scored_team.round.sprint_count, scored_team.round.sprint_weeks = 4, 8
    db.session.commit()
    plan = services.create_plan(scored_team, generate=True, language="en", on=date(2020, 1, 1))
    assert len(plan.sprints) == 4
    assert all((s.ends_on - s.starts_on).days == 8 * 7 - 3 for s in plan.sprints)


def test_a_plan_made_after_the_round_closed_starts_next_monday(scored_team):
    later = scored_team.round.closes_at.date() + timedelta(days=40)
    plan = services.create_plan(scored_team, generate=True, language="en", on=later)
    assert plan.sprints[0].starts_on == monday_after(later)


def test_suppressed_team_gets_no_proposal_but_may_write_a_plan(make_round_team, answer_team):
    round_team = answer_team(make_round_team(status="closed"), n=2)
    assert services.proposal_for(round_team) is None
    plan = services.create_plan(round_team, generate=True, language="en", on=date(2020, 1, 1))
    assert not plan.generated and plan.focus == [] and plan.discussion == []
    assert len(plan.sprints) == 3 and all(s.actions == [] for s in plan.sprints)
    with force_locale("en"):
        assert texts.goal_text(plan.sprints[0]) == "Choose a focus and actions for this sprint"


def test_creating_twice_returns_the_same_plan(scored_team):
    first = services.create_plan(scored_team, generate=True, language="en")
    second = services.create_plan(scored_team, generate=False, language="en")
    assert first.id == second.id
    assert db.session.query(Plan).count() == 1


def test_low_agreement_elements_become_discussion_prompts(make_round_team, answer_team):
    round_team = make_round_team(status="closed")
    answer_team(round_team, n=2, value=lambda item: 1 if item.element_id == "L2" and not item.reverse else 4)
    answer_team(round_team, n=2, value=lambda item: 5 if item.element_id == "L2" and not item.reverse else 4)
    result = team_profile(round_team.id)
    assert "L2" in [i.element_id for i in result.priorities.discussion]
    plan = services.create_plan(round_team, generate=True, language="en")
    assert "L2" in plan.discussion and "L2" not in plan.focus


@pytest.fixture
def plan(scored_team):
    return services.create_plan(scored_team, generate=True, language="en", on=date(2020, 1, 1))


def test_add_library_and_own_actions_without_duplicates(plan):
    sprint = plan.sprints[0]
    before = len(sprint.actions)
    added = services.add_action(sprint, action_id="l6-leadership-network", own_text=None, owner="Anna")
    again = services.add_action(sprint, action_id="l6-leadership-network", own_text=None, owner="Anna")
    assert added.id == again.id and len(sprint.actions) == before + 1
    own = services.add_action(sprint, action_id=None, own_text="  Visit each other's lessons ", owner="")
    assert own.own_text == "Visit each other's lessons" and own.position == before + 2
    with pytest.raises(ValueError):
        services.add_action(sprint, action_id="no-such-action", own_text=None, owner="")
    with pytest.raises(ValueError):
        services.add_action(sprint, action_id="l6-leadership-network", own_text="both", owner="")


def test_move_is_idempotent_and_remove_renumbers(plan):
    sprint = plan.sprints[0]
    del sprint.actions[2:]
    db.session.commit()
    services.add_action(sprint, action_id=None, own_text="Third", owner="")
    first, second, third = sprint.actions
    assert services.move_action(third, "up", 3)
    assert not services.move_action(third, "up", 3)  # a repeated click: it is no longer at 3
    assert [a.id for a in sprint.actions] == [first.id, third.id, second.id]
    assert not services.move_action(first, "up", 1)  # already at the top
    services.remove_action(third)
    assert [(a.id, a.position) for a in sprint.actions] == [(first.id, 1), (second.id, 2)]
    assert db.session.get(PlanAction, third.id) is None


def test_update_action_moves_it_to_another_sprint(plan, en):
    one, two = plan.sprints[0], plan.sprints[1]
    moving = one.actions[0]
    services.update_action(moving, owner=" Bram ", own_text=None, sprint=two)
    assert moving.owner == "Bram" and moving.sprint is two and moving.position == len(two.actions)
    assert [a.position for a in one.actions] == list(range(1, len(one.actions) + 1))


def test_sprint_update_and_review(plan, en):
    sprint = plan.sprints[1]
    services.update_sprint(sprint, goal=" New goal ", starts_on=date(2026, 1, 5), ends_on=date(2026, 2, 13),
                           indicator="Pupils explain their learning goal", cimo_context="Year 1",
                           cimo_intervention="", cimo_mechanism="Ownership", cimo_outcome="")
    services.save_review(sprint, happened="We visited lessons.", learned="Short cycles work.", decision="deepen")
    db.session.expire_all()
    saved = db.session.get(Sprint, sprint.id)
    assert (saved.goal, saved.cimo_context, saved.cimo_mechanism) == ("New goal", "Year 1", "Ownership")
    assert (saved.review_learned, saved.decision) == ("Short cycles work.", "deepen")
    with pytest.raises(ValueError):
        services.save_review(saved, happened="", learned="", decision="maybe")


def test_an_unchanged_generated_text_stays_generated_a_rewritten_one_is_the_teams(plan, en):
    sprint = plan.sprints[0]
    goal, indicator = texts.goal_text(sprint), texts.indicator_text(sprint)
    services.update_sprint(sprint, goal=goal, starts_on=sprint.starts_on, ends_on=sprint.ends_on, indicator=indicator,
                           cimo_context="", cimo_intervention="", cimo_mechanism="", cimo_outcome="")
    assert sprint.generated_goal and sprint.generated_indicator
    services.update_sprint(sprint, goal="Our goal", starts_on=sprint.starts_on, ends_on=sprint.ends_on,
                           indicator=indicator, cimo_context="", cimo_intervention="", cimo_mechanism="",
                           cimo_outcome="")
    assert sprint.generated_goal is None and sprint.goal == "Our goal" and sprint.generated_indicator
    with force_locale("fr"):
        assert texts.goal_text(sprint) == "Our goal"  # the team's own words, as typed
    action = sprint.actions[0]
    services.update_action(action, owner=texts.owner_text(action), own_text=None, sprint=sprint)
    assert action.owner_role and action.owner == ""


def test_plan_for_report(plan, en, scored_team):
    sprint = plan.sprints[0]
    services.add_action(sprint, action_id=None, own_text="Our own step", owner="Chris")
    services.save_review(sprint, happened="Done", learned="Learned", decision="adapt")
    report = services.plan_for_report(scored_team.id)
    assert report.round_team_id == scored_team.id and report.generated
    assert [f.element_id for f in report.focus] == plan.focus
    assert set(report.focus[0].name) == {"nl", "en", "fr"}
    first = report.sprints[0]
    library_action, own = first.actions[0], first.actions[-1]
    assert library_action.action_id and set(library_action.title) == {"nl", "en", "fr"} and library_action.how
    assert own.own and own.title == "Our own step" and own.how is None and own.owner == "Chris"
    assert (first.decision, first.review_happened, first.reviewed) == ("adapt", "Done", True)
    with force_locale("en"):
        assert first.decision_label == "Adapt"
    assert not report.sprints[1].reviewed
    with pytest.raises(AttributeError):
        report.rethink = True  # frozen
    assert services.plan_for_report(scored_team.id + 999) is None


def _next_round(round_team, opens_at, closes_at, name="Next"):
    old = round_team.round
    round_ = Round(school=old.school, name=name, modules=old.modules, instrument_versions=old.instrument_versions,
                   innovation_name=old.innovation_name, opens_at=opens_at, closes_at=closes_at)
    new = RoundTeam(round=round_, team=round_team.team, code=f"N{round_team.id:05d}{name[:3].upper()}")
    db.session.add(new)
    db.session.commit()
    return new


def test_the_plan_shows_up_in_the_next_round(plan, en, scored_team):
    services.save_review(plan.sprints[0], happened="", learned="Keep going", decision="continue")
    old_round = scored_team.round
    following = _next_round(scored_team, old_round.closes_at + timedelta(days=200),
                            old_round.closes_at + timedelta(days=230))
    previous = services.previous_plan_for_report(following.id)
    assert previous is not None and previous.round_team_id == scored_team.id
    assert previous.sprints[0].decision == "continue"
    assert services.plan_for_report(following.id) is None
    assert services.previous_plan_for_report(scored_team.id) is None  # nothing before the first round


def test_previous_plan_is_from_the_latest_earlier_round_of_the_same_team(plan, en, scored_team, make_round_team):
    old_round = scored_team.round
    middle = _next_round(scored_team, old_round.closes_at + timedelta(days=10),
                         old_round.closes_at + timedelta(days=20), name="Middle")
    latest = _next_round(scored_team, old_round.closes_at + timedelta(days=100),
                         old_round.closes_at + timedelta(days=120), name="Latest")
    assert services.previous_plan_for_report(latest.id) is None  # "Middle" has no plan
    other_team = RoundTeam(round=latest.round, team=Team(school=old_round.school, name="Other"), code="OTHER1")
    db.session.add(other_team)
    db.session.commit()
    assert services.previous_plan_for_report(other_team.id) is None
    assert services.previous_plan_for_report(middle.id).round_team_id == scored_team.id


def test_deleting_the_plan_removes_sprints_and_actions(plan):
    services.delete_plan(plan)
    assert db.session.query(Sprint).count() == 0 and db.session.query(PlanAction).count() == 0
