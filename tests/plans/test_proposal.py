"""The plan proposal from a hand-built priority list (pure: no app, no database)."""
from datetime import date

from spiegel.instrument import load_instrument
from spiegel.plans.library import load_library
from spiegel.plans.proposal import (
    choose_focus,
    element_map,
    first_sprint_start,
    next_monday,
    pick_indicator,
    propose,
    ranked_actions,
    sprint_dates,
)
from spiegel.scoring.results import ATTENTION, BOTTLENECK, Priorities, PriorityItem

ELEMENTS = element_map(load_instrument().current())


def item(rank, element_id, band=BOTTLENECK, unit=None, value=2.0):
    return PriorityItem(rank=rank, element_id=element_id, unit=unit or element_id, value=value, band=band,
                        patterns=(), phase_relevant=False, school_gap=None, reasons=())


def plan(priorities, phase="IMP", count=3, weeks=6, start=date(2026, 3, 2)):
    return propose(priorities, load_library(), ELEMENTS, phase=phase, first_start=start, count=count, weeks=weeks)


def test_next_monday_is_strictly_after():
    assert next_monday(date(2026, 2, 27)) == date(2026, 3, 2)  # Friday → Monday
    assert next_monday(date(2026, 3, 2)) == date(2026, 3, 9)  # a Monday → the next one
    assert next_monday(date(2026, 3, 8)) == date(2026, 3, 9)  # Sunday


def test_first_sprint_starts_after_the_later_of_closing_and_today():
    assert first_sprint_start(date(2026, 2, 27), today=date(2026, 2, 1)) == date(2026, 3, 2)
    assert first_sprint_start(date(2026, 2, 27), today=date(2026, 4, 15)) == date(2026, 4, 20)


def test_sprints_are_consecutive_monday_to_friday():
    dates = sprint_dates(date(2026, 3, 2), 3, 6)
    assert dates == [(date(2026, 3, 2), date(2026, 4, 10)), (date(2026, 4, 13), date(2026, 5, 22)),
                     (date(2026, 5, 25), date(2026, 7, 3))]
    for start, end in dates:
        assert start.weekday() == 0 and end.weekday() == 4


def test_two_focus_points_and_a_third_only_for_a_bottleneck():
    library = load_library()
    three = Priorities(actions=(item(1, "I3"), item(2, "S1"), item(3, "P2", band=BOTTLENECK)))
    assert [i.element_id for i in choose_focus(three, library)] == ["I3", "S1", "P2"]
    attention = Priorities(actions=(item(1, "I3"), item(2, "S1"), item(3, "P2", band=ATTENTION)))
    assert [i.element_id for i in choose_focus(attention, library)] == ["I3", "S1"]
    many = Priorities(actions=tuple(item(n, e) for n, e in enumerate(["I1", "I2", "I3", "P1", "P2"], start=1)))
    assert len(choose_focus(many, library)) == 3


def test_discussion_items_are_prompts_not_focus_points():
    proposal = plan(Priorities(actions=(item(1, "S2"),), discussion=(item(1, "R1"), item(2, "L2"))))
    assert proposal.focus == ("S2",)
    assert proposal.discussion == ("R1", "L2")
    assert all("R1" not in s.focus for s in proposal.sprints)


def test_each_sprint_takes_the_next_action_of_each_focus_point():
    proposal = plan(Priorities(actions=(item(1, "I3"), item(2, "S1"))))
    assert [s.number for s in proposal.sprints] == [1, 2, 3]
    library = load_library()
    used = [a for s in proposal.sprints for a in s.actions]
    assert len(used) == len(set(used)) == 6
    for sprint in proposal.sprints:
        assert len(sprint.actions) == 2
        first, second = (library.actions[a] for a in sprint.actions)
        assert "I3" in first.elements and "S1" in second.elements
    assert [s.stage for s in proposal.sprints] == ["start", "middle", "last"]


def test_count_and_length_come_from_the_round():
    proposal = plan(Priorities(actions=(item(1, "I3"),)), count=2, weeks=8, start=date(2026, 9, 7))
    assert [(s.starts_on, s.ends_on) for s in proposal.sprints] == [
        (date(2026, 9, 7), date(2026, 10, 30)), (date(2026, 11, 2), date(2026, 12, 25))]
    assert [s.stage for s in proposal.sprints] == ["start", "last"]


def test_a_pole_is_served_by_its_own_actions_first():
    library = load_library()
    ranked = ranked_actions(library, "R3", "R3b", "BOR")
    assert all(a.serves_unit("R3b") for a in ranked[:2])
    assert ranked[-1].serves_unit("R3a")
    loose_first = ranked_actions(library, "R3", "R3a", "DIF")
    assert loose_first[0].serves_unit("R3a")


def test_actions_that_suit_the_phase_come_first():
    library = load_library()
    early = ranked_actions(library, "R4", "R4a", "INI")
    assert early[0].id == "r4-practical-first"
    late = [a.id for a in ranked_actions(library, "R2", "R2", "DIF")]
    assert late.index("r2-formal-early") == len(late) - 1  # an early-phase action goes last in diffusion


def test_an_action_serving_two_focus_points_is_used_once():
    proposal = plan(Priorities(actions=(item(1, "I1"), item(2, "I3"))), count=4)
    used = [a for s in proposal.sprints for a in s.actions]
    assert len(used) == len(set(used))
    assert "i1-impact-evidence" in used  # it serves I1 and I3


def test_a_focus_point_runs_out_of_actions_gracefully():
    available = len(load_library().for_element("L6"))
    proposal = plan(Priorities(actions=(item(1, "L6"),)), count=available + 2)
    assert [len(s.actions) for s in proposal.sprints] == [1] * available + [0, 0]


def test_indicator_names_a_statement_of_the_watched_focus_point():
    proposal = plan(Priorities(actions=(item(1, "I3"), item(2, "R3", unit="R3b"))))
    first, second, third = proposal.sprints
    assert first.indicator_element == "I3" and first.indicator_item.element_id == "I3"
    assert second.indicator_element == "R3" and second.indicator_item.facet == "b"
    assert third.indicator_element == "I3" and third.indicator_item != first.indicator_item


def test_indicator_avoids_reverse_keyed_statements_when_it_can():
    p3 = ELEMENTS["P3"]  # P3.2 is reverse-keyed
    assert [pick_indicator(p3, "P3", visit).id for visit in range(3)] == ["P3.1"] * 3
    r11 = ELEMENTS["R11"]  # only reverse-keyed statements: one of them, the service says "fewer"
    assert pick_indicator(r11, "R11", 1).reverse
    assert pick_indicator(None, "X", 0) is None


def test_rethink_is_carried_over_and_an_empty_list_gives_an_empty_proposal():
    proposal = plan(Priorities(rethink=True))
    assert proposal.rethink and proposal.focus == () and proposal.discussion == ()
    assert len(proposal.sprints) == 3
    assert all(s.actions == () and s.indicator_item is None for s in proposal.sprints)
