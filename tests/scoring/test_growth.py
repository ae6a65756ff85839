"""Differencing two released snapshots (spiegel.scoring.growth): a snapshot grows by at least the
minimum, but a group inside it (a role subgroup, a unit's respondents, the school leaders' pool) must
not show figures a day apart that differ by one or two of its members."""
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from spiegel.scoring import score_round, score_team
from spiegel.scoring.growth import shown_after_growth

from .factory import element, group, module, respondent

MIN = 3
MOD = module(group("P", element("P1", 2), element("P2", 2)))
POOL = module(group("L", element("L1", 2), element("L6", 2, roles={"leader"})))


def at(step, responses):
    return [replace(r, step=step) for r in responses]


def people(role, count, step, **answers):
    return at(step, [respondent(role, **{"P1": (4, 2), "P2": (3, 3), **answers})] * count)


def test_the_helper_shows_a_figure_only_after_growth_by_none_or_the_minimum():
    at_least = lambda n: n >= MIN  # noqa: E731
    assert shown_after_growth([(3,), (4,)], MIN, at_least) is False  # +1: the newcomer's answers
    assert shown_after_growth([(3,), (6,)], MIN, at_least) is True
    assert shown_after_growth([(3,), (4,), (4,)], MIN, at_least) is False  # 4 vs the 3 last shown
    assert shown_after_growth([(3,), (4,), (6,)], MIN, at_least) is True  # 6 − 3 = 3
    assert shown_after_growth([(2,), (4,)], MIN, at_least) is True  # never shown before: today's rule
    assert shown_after_growth([(3, 3), (6, 4)], MIN, lambda a, b: a >= MIN and b >= MIN) is False


def test_attack_7_two_teachers_and_one_leader_more_hide_both_subgroups():
    first = people("teacher", 6, 1) + people("leader", 3, 1)
    assert score_team([MOD], first).roles.shown
    grown = score_team([MOD], first + people("teacher", 2, 2) + people("leader", 1, 2))
    assert grown.profile.shown and grown.profile.size == 12  # the team itself grew by three
    assert not grown.roles.shown and grown.roles.leaders is None and grown.roles.teachers is None
    both = score_team([MOD], first + people("teacher", 3, 2) + people("leader", 3, 2)).roles
    assert both.shown and (both.teachers, both.leaders) == (9, 6)
    assert both.gaps["P1"].leaders.shown and both.gaps["P1"].leaders.n == 6


def test_a_unit_that_grew_by_two_through_dont_know_is_hidden():
    first = people("teacher", 9, 1)
    new = people("teacher", 2, 2, P1=(None, 2)) + people("teacher", 1, 2)
    profile = score_team([MOD], first + new).profile
    assert profile.size == 12
    assert not profile.items["P1.1"].score.shown  # 9 → 10 values: the one newcomer's answer
    assert profile.items["P1.1"].distribution is None
    assert profile.items["P1.2"].score.shown and profile.items["P1.2"].score.n == 12
    assert profile.items["P1.1"].dont_know == 2  # the answers (incl. don't know) grew by three
    assert profile.scores["P1"].shown and profile.scores["P1"].n == 12  # the half rule keeps them in
    assert score_team([MOD], first).profile.items["P1.1"].score.shown


def test_the_school_leaders_pool_grown_by_one_leader_is_hidden():
    def team(step, teachers, leaders):
        return at(step, [respondent("teacher", L1=(3, 3))] * teachers
                  + [respondent("leader", L1=(3, 3), L6=(5, 5))] * leaders)

    first = {key: team(1, 3, 1) for key in "abc"}
    assert score_round([POOL], first).leaders["L6"].shown
    grown = dict(first, a=first["a"] + team(2, 2, 1))  # team a: three new responses, one a leader
    assert not score_round([POOL], grown).leaders["L6"].shown
    three = {key: first[key] + team(2, 2, 1) for key in "abc"}  # one new leader in each team
    pooled = score_round([POOL], three).leaders["L6"]
    assert pooled.shown and pooled.n == 6


# -- property: no two consecutive shown values of any figure differ by one or two respondents --------

ROLES = st.sampled_from(["teacher", "teacher", "leader", "support", "other"])
ANSWER = st.sampled_from([1, 3, 5, None])
PERSON = st.tuples(ROLES, ANSWER, ANSWER, ANSWER)
# A team's snapshot: a first release of any size, then growths of at least the minimum.
BATCHES = st.tuples(st.lists(PERSON, min_size=1, max_size=8),
                    st.lists(st.lists(PERSON, min_size=MIN, max_size=6), max_size=4))
# Which team grows at each step (the steps are numbered across teams).
ORDER = st.lists(st.sampled_from("abc"), min_size=1, max_size=8)


def figures(result) -> dict[str, int]:
    """Every shown figure's n (a figure a reader can derive, e.g. a subgroup's rest, included)."""
    found = {}
    for key, team in result.teams.items():
        if not team.profile.shown:
            continue
        for label, score in team.profile.scores.items():
            found[f"{key}:{label}"] = score.n
        for item_id, item in team.profile.items.items():
            if item.score.shown:
                found[f"{key}:item:{item_id}"] = item.score.n
        if team.roles.shown:
            found[f"{key}:teachers"], found[f"{key}:leaders"] = team.roles.teachers, team.roles.leaders
            for label, gap in team.roles.gaps.items():
                if gap.teachers.shown:
                    found[f"{key}:{label}:teachers"] = gap.teachers.n
                    found[f"{key}:{label}:leaders"] = gap.leaders.n
                    found[f"{key}:{label}:rest"] = team.profile.scores[label].n - gap.teachers.n - gap.leaders.n
    found = {label: n for label, n in found.items() if n is not None}
    for label, score in result.leaders.items():
        if score.shown:
            found[f"pool:{label}"] = score.n
    return found


def person(role, *values, step):
    l6 = (values[2], values[2]) if role == "leader" else ()
    return replace(respondent(role, L1=values[:2], **({"L6": l6} if l6 else {})), step=step)


@settings(max_examples=150, deadline=None)
@given(st.fixed_dictionaries({key: BATCHES for key in "abc"}), ORDER)
def test_no_two_consecutive_shown_values_differ_by_one_or_two(plans, order):
    queue = {key: [first, *rest] for key, (first, rest) in plans.items()}
    teams = {key: [] for key in "abc"}
    last_shown: dict[str, int] = {}
    for step, key in enumerate(order, start=1):
        if not queue[key]:
            continue
        teams[key] += [person(role, *values, step=step) for role, *values in queue[key].pop(0)]
        for label, n in figures(score_round([POOL], teams)).items():
            if label in last_shown:
                assert n == last_shown[label] or abs(n - last_shown[label]) >= MIN, (label, last_shown[label], n)
            last_shown[label] = n
