"""The report context, section by section, in nl, en and fr (no WeasyPrint here)."""
import dataclasses
import re

import pytest
from babel.numbers import format_decimal
from flask_babel import force_locale
from markupsafe import escape

from spiegel.instrument import load_instrument
from spiegel.reports import services
from spiegel.reports.context import build_report
from spiegel.reports.phrasing import MAX_SPECIFIC_PROMPTS
from spiegel.reports.report import Highlight
from spiegel.results.profiles import team_profile
from spiegel.scoring.pattern_texts import load_patterns
from tests.reports.conftest import SCRIPT

LANGS = ["nl", "en", "fr"]
MODULES = {m.id: m for m in load_instrument().current()}
SUSTAINABILITY = MODULES["sustainability"]
POLICY = MODULES["policy"]


def element(element_id):
    for module in MODULES.values():
        for e in module.elements():
            if e.id == element_id:
                return e
    raise KeyError(element_id)


def report_for(round_team, lang):
    with force_locale(lang):
        return build_report(round_team.id, lang)


def num(value, lang):
    return format_decimal(round(value, 1), format="0.0", locale=lang)


@pytest.mark.parametrize("lang", LANGS)
def test_cover_facts(mirror_data, lang):
    r = report_for(mirror_data.a, lang)
    assert (r.team, r.school, r.round_name, r.innovation) == (
        "Team Alfa", "Atheneum Noord", "Afname 2026", "Evalueren om te leren")
    assert r.respondents == 12 and not r.suppressed and r.fewer_than is None
    embedding = next(o for o in SUSTAINABILITY.phase.options if o.id == "BOR")
    assert r.phase_name == embedding.label[lang]
    assert r.previous_round == "Afname 2025"
    assert "2026" in r.window  # the round's own dates, not today's


@pytest.mark.parametrize("lang", LANGS)
def test_overview_has_the_five_groups_the_indicators_and_the_pillars(mirror_data, lang):
    r = report_for(mirror_data.a, lang)
    assert [v.id for v in r.overview] == ["I", "P", "S", "R", "L", "D"]
    # every group in one chart, the pillars of policy-making capacity as one row (the one-look page
    # fits on one page); each pillar has its bar in the pillars' own section
    for group in (*SUSTAINABILITY.groups, *POLICY.groups):
        assert str(escape(group.name[lang])) in str(r.overview_chart)
    pillars = next(s for s in r.sections if s.id == POLICY.groups[0].id)
    for pillar in POLICY.elements():
        assert str(escape(pillar.name[lang])) not in str(r.overview_chart)
        assert str(escape(pillar.name[lang])) in str(pillars.chart)
    assert "<title" in str(r.overview_chart) and "<desc" in str(r.overview_chart)


@pytest.mark.parametrize("lang", LANGS)
def test_a_section_per_group_with_scores_spread_and_school_comparison(mirror_data, app, lang):
    r = report_for(mirror_data.a, lang)
    result = team_profile(mirror_data.a.id)
    assert [s.id for s in r.sections] == ["I", "P", "S", "R", "L", "D", "BV"]
    section = next(s for s in r.sections if s.id == "P")
    assert section.name == SUSTAINABILITY.groups[1].name[lang]
    p1 = next(e for e in section.elements if e.id == "P1")
    scored = result.profile.elements["P1"]
    assert p1.name == element("P1").name[lang]
    assert p1.score.text == num(scored.score.mean, lang)
    assert p1.score.band == scored.band
    assert p1.score.sd_text == num(scored.score.sd, lang)
    comparison = result.comparisons["P1"]
    # Issue 15, attack 6: two teams shown (team C is suppressed and never counted): twice the school
    # mean minus team A's score would be team B's, so the mirror shows no school mean, and says why.
    assert comparison.teams == 2 and comparison.school_mean is None and p1.compare.school_text == ""
    assert not r.method.school_compared
    assert p1.compare.previous_text == num(comparison.previous, lang)
    assert p1.compare.delta_text[0] in "+\u2212±"
    assert p1.details and p1.compare.previous_text in p1.details
    # bipolar elements are not scored as "higher is better": they sit apart, read by pole
    relational = next(s for s in r.sections if s.id == "R")
    assert {e.id for e in relational.poles} == {"R2", "R3", "R4", "R5", "R6", "R7"}
    assert all(e.score is None for e in relational.poles)
    leadership = next(s for s in r.sections if s.id == "L")
    assert leadership.pole_chart is not None and [e.id for e in leadership.poles] == ["L5"]
    assert {e.id for e in leadership.elements if e.weak_evidence} == {"L1", "L2", "L4"}


@pytest.mark.parametrize("lang", LANGS)
def test_network_profile_is_read_against_the_phase(mirror_data, lang):
    r = report_for(mirror_data.a, lang)
    result = team_profile(mirror_data.a.id)
    assert [p.id for p in r.network.poles] == ["R2", "R3", "R4", "R5", "R6", "R7"]
    r3 = next(p for p in r.network.poles if p.id == "R3")
    facets = {f.id: f.name[lang] for f in element("R3").facets}
    assert (r3.a_name, r3.b_name) == (facets["a"], facets["b"])
    reading = next(x for x in result.network if x.element_id == "R3")
    assert r3.expected == reading.expected and "b" in r3.expected  # embedding asks for strong ties
    assert r3.a.text == num(reading.a, lang)
    assert str(escape(facets["b"])) in str(r.network.chart)


@pytest.mark.parametrize("lang", LANGS)
def test_patterns_with_their_explanations(mirror_data, lang):
    r = report_for(mirror_data.a, lang)
    result = team_profile(mirror_data.a.id)
    assert [p.id for p in r.patterns] == [hit.pattern_id for hit in result.patterns]
    assert r.patterns, "the fixture fires at least one pattern"
    patterns = load_patterns()
    for view in r.patterns:
        assert view.name == patterns[view.id].name[lang]
        assert view.explanation == patterns[view.id].explanation[lang]
        assert view.refs and all(re.fullmatch(r"\d{3}:\d+-\d+", ref) for ref in view.refs)


@pytest.mark.parametrize("lang", LANGS)
def test_role_gaps_shown_only_with_both_roles(mirror_data, lang):
    a = report_for(mirror_data.a, lang)
    assert a.roles.shown and (a.roles.teachers, a.roles.leaders) == (8, 4)
    assert a.roles.gaps and a.roles.chart is not None
    assert a.roles.gaps[0].large  # leaders answer 1.2 higher in the fixture
    b = report_for(mirror_data.b, lang)
    assert not b.roles.shown and b.roles.fewer_than == 3 and b.roles.gaps == ()


@pytest.mark.parametrize("lang", LANGS)
def test_strengths_and_bottlenecks(mirror_data, lang):
    r = report_for(mirror_data.a, lang)
    result = team_profile(mirror_data.a.id)
    strengths = {e for e, x in result.profile.elements.items() if x.band == "strength"}
    bottlenecks = {e for e, x in result.profile.elements.items() if x.band == "bottleneck"}
    assert {h.id for h in r.strengths} == strengths and strengths
    # the banded bottlenecks, and the focus points read on a pole ("low for your phase"): one story
    assert {h.id for h in r.bottlenecks if not h.note} == bottlenecks
    assert {h.id for h in r.bottlenecks if h.note} == {f.element_id for f in r.focus
                                                       if element(f.element_id).polarity != "unipolar"}
    means = [h.score.mean for h in r.strengths]
    assert means == sorted(means, reverse=True)


def test_long_highlight_lists_are_cut_but_keep_every_focus_point(mirror_data):
    r = report_for(mirror_data.a, "en")
    many = tuple(Highlight(f"X{i}", f"Element {i:02d}", r.strengths[0].score, "Group") for i in range(12))
    r = dataclasses.replace(r, strengths=many, bottlenecks=many[:3], focus_ids=frozenset({"X10"}))
    shown, more = r.listed(r.strengths)
    assert [h.id for h in shown] == ["X0", "X1", "X2", "X3", "X4", "X5", "X6", "X7", "X10"] and more == 3
    assert r.listed(r.bottlenecks) == (many[:3], 0)
    html = services.render_report_html(r)
    section = html[html.index('id="strengths"'):html.index("</section>", html.index('id="strengths"'))]
    assert "Element 07" in section and "Element 10" in section and "Element 08" not in section
    assert section.count("and 3 more, on the group pages") == 1


@pytest.mark.parametrize("lang", LANGS)
def test_open_answers_only_above_the_minimum_and_alphabetical(mirror_data, lang):
    a = report_for(mirror_data.a, lang)
    question = next(q for q in a.open_questions if q.id == "sustainability.open1")
    assert question.shown and question.question == SUSTAINABILITY.open_questions[0].text[lang]
    assert list(question.answers) == sorted(question.answers, key=str.casefold)
    assert SCRIPT in question.answers
    assert not next(q for q in a.open_questions if q.id == "policy.open1").shown
    b = report_for(mirror_data.b, lang)  # one answer: below the minimum
    assert all(not q.shown and q.answers == () for q in b.open_questions)


@pytest.mark.parametrize("lang", LANGS)
def test_discussion_prompts(mirror_data, lang):
    r = report_for(mirror_data.a, lang)
    patterns = load_patterns()
    texts = [p.text for p in r.prompts]
    for view in r.patterns[:MAX_SPECIFIC_PROMPTS]:
        assert patterns[view.id].prompt[lang] in texts
    assert len(texts) >= 3 and len(set(texts)) == len(texts)
    # three general questions and at most three drawn from the profile (the one-look page is one page):
    # team A has three patterns and two sub-elements colleagues see very differently
    assert len(r.patterns) + len(r.discussion) > MAX_SPECIFIC_PROMPTS
    assert len([p for p in r.prompts if p.source]) == MAX_SPECIFIC_PROMPTS and len(texts) == 3 + MAX_SPECIFIC_PROMPTS


@pytest.mark.parametrize("lang", LANGS)
def test_priorities_and_no_plan_yet(mirror_data, lang):
    r = report_for(mirror_data.a, lang)
    result = team_profile(mirror_data.a.id)
    assert [p.element_id for p in r.priorities] == [p.element_id for p in result.priorities.actions[:5]]
    assert all(p.value_text and p.name for p in r.priorities)
    assert r.plans_available and r.plan is None and r.previous_plan is None


def test_current_and_previous_plan(mirror_data):
    from spiegel.plans import services as plans

    previous = plans.create_plan(mirror_data.a_before, generate=False, language="nl")
    plans.add_action(previous.sprints[0], action_id=None, own_text="Duo's plannen samen een les", owner="Team")
    plans.save_review(previous.sprints[0], happened="Vier duo's werkten samen.", learned="Het vraagt tijd.",
                      decision="continue")
    current = plans.create_plan(mirror_data.a, generate=True, language="nl")
    plans.add_action(current.sprints[0], action_id=None, own_text="Elke maand een open klas", owner="Directie")
    r = report_for(mirror_data.a, "nl")
    assert r.plan is not None and r.previous_plan is not None
    assert any(a.title == "Elke maand een open klas" for s in r.plan.sprints for a in s.actions)
    assert r.previous_plan.sprints[0].review_happened == "Vier duo's werkten samen."
    html = services.render_report_html(r)
    assert "Elke maand een open klas" in html and "Duo&#39;s plannen samen een les" in html
    assert "Vier duo&#39;s werkten samen." in html


@pytest.mark.parametrize("lang", LANGS)
def test_appendix_lists_every_item(mirror_data, lang):
    r = report_for(mirror_data.a, lang)
    items = {item.id: item for group in r.items for _, _, listed in group.elements for item in listed}
    every = {item.id: item for module in MODULES.values() for item in module.items()}
    assert items.keys() == every.keys()
    i11 = items["I1.1"]
    assert i11.text == every["I1.1"].text[lang] and i11.score.shown and sum(i11.distribution) >= 3
    assert i11.spark
    # L6 is asked of leaders only: 4 leaders answered it in team A; in team B nobody did
    b = report_for(mirror_data.b, lang)
    b_items = {item.id: item for group in b.items for _, _, listed in group.elements for item in listed}
    assert not b_items["L6.1"].score.shown and b_items["L6.1"].distribution is None
    assert b_items["L6.1"].score.text in {"minder dan 3", "fewer than 3", "moins de 3"}


@pytest.mark.parametrize("lang", LANGS)
def test_method_note(mirror_data, lang):
    r = report_for(mirror_data.a, lang)
    names = [f"{e} {element(e).name[lang]}" for e in ("L1", "L2", "L4")]
    assert list(r.method.weak_evidence) == names
    assert r.method.min_group_size == 3
    assert r.method.band_high == num(3.5, lang) and r.method.band_low == num(2.5, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_suppressed_team_gets_no_results(mirror_data, lang):
    r = report_for(mirror_data.c, lang)
    assert r.suppressed and r.fewer_than == 3 and r.respondents is None
    assert r.sections == () and r.patterns == () and r.open_questions == () and r.items == ()
    assert r.network is None and r.roles is None and r.phase_name is None and r.plan is None
    html = services.render_report_html(r)
    text = re.sub(r"<[^>]+>", " ", html)
    assert {"nl": "minder dan 3", "en": "fewer than 3", "fr": "moins de 3"}[lang] in text
    assert not re.search(r"(?<![\w.,])2(?![\d.,])", text.replace("2026", ""))  # never its real size


@pytest.mark.parametrize("lang", LANGS)
def test_team_without_previous_round(mirror_data, lang):
    r = report_for(mirror_data.b, lang)
    assert r.previous_round is None
    assert all(e.compare.previous is None and e.compare.delta_text == "" for s in r.sections for e in s.elements)
    assert "previous" not in str(r.overview_chart) and r.respondents == 5


@pytest.mark.parametrize("lang", LANGS)
def test_html_has_every_section_in_the_language_and_escapes_answers(mirror_data, lang):
    html = services.render_report_html(report_for(mirror_data.a, lang))
    for section in ("cover", "how-to-read", "overview", "group-I", "group-BV", "network", "patterns", "roles",
                    "strengths", "open-answers", "plan", "method"):
        assert f'id="{section}"' in html, section
    assert f'<html lang="{lang}">' in html
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; meer tijd" in html
    assert str(escape(element("S1").name[lang])) in html
    heading = {"nl": "Hoe lees je deze spiegel", "en": "How to read this mirror", "fr": "Comment lire ce miroir"}
    assert heading[lang] in html
    assert re.search(r"counter\(page\).*counter\(pages\)", html)


def test_same_input_same_html(mirror_data):
    first = services.render_report_html(report_for(mirror_data.a, "nl"))
    second = services.render_report_html(report_for(mirror_data.a, "nl"))
    assert first == second


def test_page_counter_css_escapes_and_translates(app):
    with force_locale("nl"):
        assert services.page_counter_css() == '"Pagina " counter(page) " van " counter(pages)'
    assert services.css_string('a"b\\c') == '"a\\22 b\\5c c"'
