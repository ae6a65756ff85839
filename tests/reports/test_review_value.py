"""Issue 18: a sprint review's value (seed 004's five kinds) and the reason for its decision show in the
next round's mirror, web and PDF context, in the reader's language, as the team wrote them."""
import pytest
from flask_babel import force_locale

from spiegel.plans import services as plans
from spiegel.reports import services
from spiegel.reports.context import build_report

KIND_LABELS = {"nl": ("Productieve gesprekken", "Nieuwe inzichten"),
               "en": ("Productive conversations", "New insights"),
               "fr": ("Conversations productives", "Nouvelles perspectives")}


def _reviewed_previous_plan(mirror_data):
    previous = plans.create_plan(mirror_data.a_before, generate=False, language="nl")
    plans.save_review(previous.sprints[0], happened="Lesbezoek in duo's.", learned="", decision="deepen",
                      reason="De duo's willen verder met dezelfde klas.",
                      value=[{"kind": "insights", "example": "Feedback werkt pas als leerlingen hem gebruiken."},
                             {"kind": "conversations", "example": "Elke vrijdag tien minuten over één les."},
                             {"kind": "results", "example": ""}])
    return previous


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_the_next_mirror_shows_the_previous_reviews_value_kinds(mirror_data, lang):
    _reviewed_previous_plan(mirror_data)
    with force_locale(lang):
        report = build_report(mirror_data.a.id, lang, medium="web")
        html = services.render_report_html(report)
    sprint = report.previous_plan.sprints[0]
    # stored as kind ids + the team's text, in the order of seed 004, each kind once
    assert [v.kind for v in sprint.value] == ["conversations", "results", "insights"]
    assert sprint.value[2].example == "Feedback werkt pas als leerlingen hem gebruiken."
    assert sprint.decision_reason == "De duo's willen verder met dezelfde klas."
    conversations, insights = KIND_LABELS[lang]
    assert conversations in html and insights in html
    assert "Elke vrijdag tien minuten over één les." in html
    assert "De duo&#39;s willen verder met dezelfde klas." in html
