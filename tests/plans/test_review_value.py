"""Issue 18: a sprint review records the reason for its decision and the value the sprint created in seed
004's five kinds (004:3792-3822), each optional with a short example, stored as kind ids + the team's text."""
import re

import pytest

from spiegel.plans import services
from tests.plans.test_views import current_plan, post, url


@pytest.fixture
def plan(scored_team):
    return services.create_plan(scored_team, generate=True, language="en")


def test_value_is_stored_as_kind_ids_and_the_teams_words(plan):
    sprint = plan.sprints[0]
    services.save_review(sprint, happened="", learned="", decision="adapt", reason="  Too little time. ",
                         value=[{"kind": "practice", "example": " We start each lesson with a goal. "},
                                {"kind": "conversations", "example": ""},
                                {"kind": "practice", "example": "a second one is ignored"}])
    assert sprint.value == [{"kind": "conversations", "example": ""},
                            {"kind": "practice", "example": "We start each lesson with a goal."}]
    assert sprint.decision_reason == "Too little time."
    report = services.plan_for_report(plan.round_team_id)
    assert [(v.kind, v.example) for v in report.sprints[0].value] == [
        ("conversations", ""), ("practice", "We start each lesson with a goal.")]
    assert report.sprints[0].reviewed
    with pytest.raises(ValueError):
        services.save_review(sprint, happened="", learned="", decision=None, value=[{"kind": "fun"}])


@pytest.fixture
def with_plan(scored_team, facilitator, client):
    facilitator(scored_team)
    assert post(client, scored_team, "/create", {"mode": "proposal"}).status_code == 302
    return scored_team


@pytest.mark.parametrize("language, kind_label, saved", [
    ("nl", "Veranderde praktijk", "De terugblik op sprint 1 is bewaard."),
    ("en", "Changed practice", "The review of sprint 1 is saved."),
    ("fr", "Pratique modifiée", "Le bilan du sprint 1 est enregistré."),
])
def test_review_page_records_value_in_every_language(with_plan, client, language, kind_label, saved):
    client.get(f"/lang/{language}")
    page = client.get(url(with_plan, "/sprint/1/review"))
    assert page.status_code == 200 and kind_label in page.text
    response = post(client, with_plan, "/sprint/1/review",
                    {"decision": "deepen", "reason": "Pupils ask for more", "value_practice": "y",
                     "example_practice": "Exit tickets in every class", "example_insights": "Less is more"},
                    "/sprint/1/review")
    assert response.status_code == 302
    assert saved in client.get(url(with_plan)).text
    sprint = current_plan(with_plan).sprints[0]
    assert sprint.value == [{"kind": "practice", "example": "Exit tickets in every class"},
                            {"kind": "insights", "example": "Less is more"}]
    assert sprint.decision_reason == "Pupils ask for more"
    shown = client.get(url(with_plan)).text
    assert kind_label in shown and "Exit tickets in every class" in shown and "Pupils ask for more" in shown
    again = client.get(url(with_plan, "/sprint/1/review")).text  # the form shows what was saved
    assert "Exit tickets in every class" in again
    assert re.search(r'<input checked id="value-practice"', again)
    assert not re.search(r'<input checked id="value-results"', again)


def test_a_too_long_example_saves_nothing(with_plan, client):
    response = post(client, with_plan, "/sprint/1/review", {"example_results": "x" * 501}, "/sprint/1/review")
    assert response.status_code == 400 and "at most 500 characters" in response.text
    assert current_plan(with_plan).sprints[0].value == []
