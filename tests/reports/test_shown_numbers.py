"""One rounding rule: every label, colour and flag agrees with the number printed next to it, and every
printed change or gap is the difference of the printed values (issue 14). Property tests over random
teams, read through the report context as the reader sees it (no WeasyPrint)."""
from decimal import Decimal

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from spiegel.reports.context import ReportBuilder
from spiegel.results import numbers
from spiegel.scoring import ResponseData, ScoringConfig, score_round, shown
from spiegel.scoring.stats import band
from tests.scoring.factory import element, group, module

CONFIG = ScoringConfig()
MODULE = module(group("P", element("P1", 5), element("P2", 4)), group("S", element("S1", 2)))
ITEMS = [item for item in MODULE.items()]
SCORES = st.integers(1, 5)


def legend_band(printed: str) -> str:
    """The legend's rule applied to the printed number: "strength (3.5 or more)", "bottleneck (below
    2.5)", needs attention in between."""
    value = Decimal(printed.replace(",", ".").replace("\u2212", "-"))
    if value >= Decimal(str(CONFIG.band_high)):
        return "strength"
    if value < Decimal(str(CONFIG.band_low)):
        return "bottleneck"
    return "attention"


def printed_value(text: str) -> Decimal:
    return Decimal(text.replace(",", ".").replace("\u2212", "-").replace("±", "").replace("+", ""))


@st.composite
def team(draw, min_size=3, max_size=8):
    size = draw(st.integers(min_size, max_size))
    people = []
    for i in range(size):
        role = "teacher" if i % 2 else "leader"
        answers = {item.id: draw(SCORES) for item in ITEMS}
        people.append(ResponseData(role, answers, "IMP"))
    return people


def builder(result, lang):
    return ReportBuilder(None, None, result, [MODULE], CONFIG, lang)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(now=team(), before=team(), lang=st.sampled_from(["nl", "en", "fr"]))
def test_every_band_agrees_with_its_printed_number_and_every_change_with_the_printed_values(app, now, before, lang):
    previous = score_round([MODULE], {1: before}, CONFIG).teams[1].profile
    result = score_round([MODULE], {1: now, 2: before}, CONFIG, previous={1: previous}).teams[1]
    with app.test_request_context(), force_locale(lang):
        report = builder(result, lang)
        for label in ("P1", "P2", "S1", "P", "S"):
            node = report.elements.get(label) or report.groups[label]
            view = report.element_view(node)
            score = view.score
            assert score.shown
            assert score.band == legend_band(score.text), (label, score.text, score.mean)
            compare = view.compare
            # "previous round 2,5 (+0,3)": the change is the difference of the printed values
            assert printed_value(compare.delta_text) == printed_value(score.text) - printed_value(compare.previous_text)
        roles = report.roles()
        for gap in roles.gaps:
            difference = printed_value(gap.teachers) - printed_value(gap.leaders)
            assert printed_value(gap.gap_text) == difference
            assert gap.large is (abs(difference) >= Decimal(str(CONFIG.gap_threshold)))


# Values on a tie: 2.45 must read 2,5 and be banded as 2,5 (old code: "2,5 · bottleneck").
@example(2.45)
@example(3.45)
@example(2.25)
@settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(100, 500).map(lambda k: k / 100) | st.floats(1, 5))
def test_band_of_any_value_is_the_band_of_its_printed_text(app, value):
    with app.test_request_context():
        text = numbers.score(value, "nl")
    assert band(value, CONFIG) == legend_band(text)


@pytest.mark.parametrize("now, before, expected", [(2.75, 2.54, "+0.3"), (2.84, 2.45, "+0.3"), (2.45, 2.54, "±0.0"),
                                                   (2.54, 2.75, "\u22120.3")])
def test_a_printed_change_is_the_difference_of_the_printed_values(app, now, before, expected):
    from spiegel.scoring import shown
    with app.test_request_context(), force_locale("en"):
        text = numbers.change(shown.difference(now, before), "en")
        assert text == expected
        assert printed_value(text) == printed_value(numbers.score(now, "en")) - printed_value(numbers.score(before, "en"))


@pytest.mark.parametrize("lang", ["nl", "en", "fr"])
def test_shown_numbers_read_as_babel_writes_them(lang):
    """numbers.score and numbers.percent format without babel's format_decimal (a mirror prints a
    thousand numbers): the same text for every shown score from −6 to 6 and every percentage."""
    from babel.numbers import format_decimal

    for value in (i / 1000 for i in range(-6000, 6001)):
        assert numbers.score(value, lang) == format_decimal(shown.score(value), format="0.0", locale=lang), value
    for share in (i / 1000 for i in range(0, 1001)):
        expected = format_decimal(shown.percent(share), format="0", locale=lang)
        assert numbers.percent(share, lang) == f"{expected}%", share
