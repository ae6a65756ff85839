"""The instrument flattened into "scored units", once per round, so that scoring respondents is a
few dictionary look-ups per answer.

A **unit** is anything that gets a team score, named by a plain string label:

- a unipolar element (sub-element, outcome indicator or pillar): its id, e.g. ``"P1"``, ``"BV3"``;
- a facet of an element: element id + facet id, as MODEL.md writes them: ``"R3b"``, ``"L5a"``
  (a facet ``output`` of I3 is ``"I3output"``);
- a group: its id, e.g. ``"P"``, ``"BV"``, ``"D"``.

Bipolar elements (R2-R7) and the balance element (L5) get no unit of their own: a single "higher is
better" number would misread them (MODEL.md §1.6). Only their facets a and b are scored, and they stay
out of their group's score for the same reason.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil

from spiegel.instrument.model import ROLES, Element, Module

ELEMENT = "element"
FACET = "facet"
GROUP = "group"


def facet_label(element_id: str, facet_id: str) -> str:
    """MODEL.md's notation for a pole or facet sub-score: ``R3`` + ``b`` → ``R3b``."""
    return f"{element_id}{facet_id}"


def needed(asked: int) -> int:
    """The half rule: a respondent's score needs at least half of the asked parts with a value
    (rounded up, never fewer than one): 1 of 1 or 2, 2 of 3 or 4."""
    return max(1, ceil(asked / 2))


@dataclass(frozen=True)
class UnitPlan:
    """How one unit is scored for one role.

    For an element or facet, ``parts`` are item ids and the respondent's score is the mean of their
    (reverse-keyed) values. For a group, ``parts`` are element labels and the score is the mean of the
    respondent's element scores; its "weet niet" answers are those of its elements.
    """

    label: str
    kind: str
    parts: tuple[str, ...]
    needed: int


@dataclass(frozen=True)
class RolePlan:
    """Everything a respondent of one role is asked.

    ``items`` maps each asked item to (reverse-keyed, indices of the ``units`` it feeds), so one pass
    over a response fills every element and facet; ``groups`` are scored from those afterwards.
    """

    role: str
    items: dict[str, tuple[bool, tuple[int, ...]]]
    asked: frozenset[str]  # the keys of ``items``, for a quick subset check
    units: tuple[UnitPlan, ...]
    groups: tuple[UnitPlan, ...]
    labels: tuple[str, ...]  # units' labels and half-rule minimums, side by side for a fast loop
    needs: tuple[int, ...]


@dataclass(frozen=True)
class UnitInfo:
    """Role-independent facts about a unit, for reporting and comparison."""

    label: str
    kind: str
    element_id: str | None
    facet_id: str | None
    group_id: str
    group_kind: str
    module_id: str
    polarity: str | None
    order: int  # position in the questionnaire: the last tie-breaker everywhere


@dataclass(frozen=True)
class Layout:
    """The round's modules as scored units, and a plan per role."""

    modules: tuple[Module, ...]
    units: dict[str, UnitInfo]
    plans: dict[str, RolePlan]

    @property
    def has_phase(self) -> bool:
        return any(module.phase is not None for module in self.modules)

    def elements(self) -> list[Element]:
        return [element for module in self.modules for element in module.elements()]


def build_layout(modules: Sequence[Module]) -> Layout:
    """Flatten the round's modules (in questionnaire order). Raises ValueError if a facet label would
    collide with another id, which would make two units indistinguishable."""
    units: dict[str, UnitInfo] = {}

    def add(info: UnitInfo) -> None:
        if info.label in units:
            raise ValueError(f"scoring unit {info.label!r} is defined twice")
        units[info.label] = info

    for module in modules:
        for group in module.groups:
            for element in group.elements:
                for label, facet_id in _element_units(element):
                    add(UnitInfo(label, FACET if facet_id else ELEMENT, element.id, facet_id, group.id, group.kind,
                                 module.id, element.polarity, len(units)))
            add(UnitInfo(group.id, GROUP, None, None, group.id, group.kind, module.id, None, len(units)))
    plans = {role: _role_plan(role, modules) for role in ROLES}
    return Layout(tuple(modules), units, plans)


def _element_units(element: Element) -> list[tuple[str, str | None]]:
    """(label, facet id) of the units an element feeds: the element itself when unipolar, and each
    facet."""
    units: list[tuple[str, str | None]] = []
    if element.polarity == "unipolar":
        units.append((element.id, None))
    units.extend((facet_label(element.id, facet.id), facet.id) for facet in element.facets)
    return units


def _role_plan(role: str, modules: Sequence[Module]) -> RolePlan:
    feeds: dict[str, list[int]] = {}
    reverse: dict[str, bool] = {}
    units: list[UnitPlan] = []
    groups: list[UnitPlan] = []
    for module in modules:
        for group in module.groups:
            scored_elements: list[str] = []
            for element in group.elements:
                asked = [item for item in element.items if item.asked_of(role)]
                for item in asked:
                    feeds[item.id] = []
                    reverse[item.id] = item.reverse
                for label, facet_id in _element_units(element):
                    ids = tuple(item.id for item in asked if facet_id is None or item.facet == facet_id)
                    if not ids:
                        continue
                    for item_id in ids:
                        feeds[item_id].append(len(units))
                    units.append(UnitPlan(label, FACET if facet_id else ELEMENT, ids, needed(len(ids))))
                    if facet_id is None:
                        scored_elements.append(label)
            if scored_elements:
                groups.append(UnitPlan(group.id, GROUP, tuple(scored_elements), needed(len(scored_elements))))
    items = {item_id: (reverse[item_id], tuple(indices)) for item_id, indices in feeds.items()}
    return RolePlan(role, items, frozenset(items), tuple(units), tuple(groups),
                    tuple(unit.label for unit in units), tuple(unit.needed for unit in units))
