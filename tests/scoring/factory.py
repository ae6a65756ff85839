"""Small synthetic instruments and responses, so every expected number in the scoring tests can be
computed by hand. Nothing here reads the real item bank.

    module(group("P", element("P1", 2), element("P2", 3, reverse=[3])))
    answers(P1=(4, 5), P2=(None, SKIP, 2))  → {"P1.1": 4, "P1.2": 5, "P2.1": None, "P2.3": 2}

Item ids are ``<element>.<n>`` from 1. ``None`` is "weet niet", ``SKIP`` leaves the item unanswered.
"""
from __future__ import annotations

from collections.abc import Iterable

from spiegel.instrument.model import ALL_ROLES, Element, Facet, Group, Item, Module, PhaseOption, PhaseQuestion
from spiegel.scoring import ResponseData

SKIP = ...
TEXT = {"nl": "x", "en": "x", "fr": "x"}
SOURCE = "000:1-2"


def element(element_id: str, n: int = 0, *, facets: dict[str, int] | None = None, polarity: str | None = None,
            reverse: Iterable[int] = (), roles: Iterable[str] = ALL_ROLES,
            item_roles: dict[int, Iterable[str]] | None = None) -> dict:
    """An element spec: ``n`` items, or ``facets={"a": 1, "b": 2}`` (items numbered a's first).

    ``polarity`` defaults to bipolar when the facets are a and b, else unipolar. ``reverse`` and
    ``item_roles`` use 1-based item numbers."""
    if facets is None:
        facets = {}
    if polarity is None:
        polarity = "bipolar" if list(facets) == ["a", "b"] else "unipolar"
    per_item = [None] * n + [facet for facet, count in facets.items() for _ in range(count)]
    return {"id": element_id, "facets": per_item, "facet_ids": list(facets), "polarity": polarity,
            "reverse": set(reverse), "roles": frozenset(roles), "item_roles": item_roles or {}}


def group(group_id: str, *elements: dict, kind: str = "condition") -> tuple[str, str, tuple[dict, ...]]:
    return group_id, kind, elements


def module(*groups: tuple[str, str, tuple[dict, ...]], module_id: str = "sustainability",
           phase: bool = True) -> Module:
    built = []
    for group_id, kind, specs in groups:
        elements = tuple(_element(spec, group_id, module_id) for spec in specs)
        built.append(Group(group_id, kind, TEXT, SOURCE, elements))
    question = None
    if phase:
        options = tuple(PhaseOption(code, TEXT, TEXT, SOURCE) for code in ("INI", "IMP", "BOR", "DIF"))
        question = PhaseQuestion(TEXT, TEXT, SOURCE, options)
    return Module(module_id, 1, TEXT, TEXT, SOURCE, tuple(built), question, ())


def _element(spec: dict, group_id: str, module_id: str) -> Element:
    items = tuple(
        Item(
            id=f"{spec['id']}.{number}",
            text=TEXT,
            source=SOURCE,
            reverse=number in spec["reverse"],
            roles=frozenset(spec["item_roles"].get(number, spec["roles"])),
            facet=facet,
            element_id=spec["id"],
            group_id=group_id,
            module_id=module_id,
        )
        for number, facet in enumerate(spec["facets"], start=1)
    )
    facets = tuple(Facet(facet_id, TEXT, SOURCE) for facet_id in spec["facet_ids"])
    return Element(spec["id"], TEXT, TEXT, SOURCE, spec["polarity"], spec["roles"], None, facets, items, group_id)


def answers(**by_element: tuple) -> dict[str, int | None]:
    """Answers per element, in item order; SKIP leaves an item out."""
    result = {}
    for element_id, values in by_element.items():
        for number, value in enumerate(values, start=1):
            if value is not SKIP:
                result[f"{element_id}.{number}"] = value
    return result


def respondent(role: str = "teacher", phase: str | None = None, **by_element: tuple) -> ResponseData:
    return ResponseData(role, answers(**by_element), phase)


# -- a miniature of the real instrument, with the element ids the patterns read ---------------------

def model_modules() -> list[Module]:
    """Every element the patterns look at, two items per element or pole, in model order."""
    sustainability = module(
        group("I", element("I1", 2), element("I2", 2), element("I3", facets={"output": 2, "process": 2})),
        group("P", element("P1", 2), element("P2", 2), element("P3", 2)),
        group("S", element("S1", 2), element("S2", 2), element("S3", 2), element("S4", 2)),
        group("R", element("R1", 2),
              *(element(f"R{k}", facets={"a": 2, "b": 2}) for k in range(2, 8)),
              element("R8", 2), element("R10", 2), element("R11", 2)),
        group("L", element("L1", 2), element("L5", facets={"a": 2, "b": 2}, polarity="balance"),
              element("L6", 2, roles={"leader"})),
        group("D", element("D1", 1), element("D2", 1), kind="outcome"),
    )
    policy = module(group("BV", element("BV1", 2), element("BV8", 2), kind="pillars"),
                    module_id="policy", phase=False)
    return [sustainability, policy]


def uniform_team(modules: list[Module], values: dict[str, float], *, phase: str | None = "IMP", n: int = 3,
                 role: str = "teacher", default: int = 3) -> list[ResponseData]:
    """``n`` identical respondents. ``values`` sets units by label: an element id sets all its items, a
    facet label (``R3b``, ``I3output``) the facet's items; x.5 on a two-item unit answers (x, x+1).
    Everything else is answered ``default``."""
    given: dict[str, int | None] = {}
    for mod in modules:
        for elem in mod.elements():
            asked = [item for item in elem.items if item.asked_of(role)]
            for item in asked:
                given[item.id] = default
            for label, items in _units_of(elem, asked):
                if label in values:
                    given.update(_spread(values[label], items))
    return [ResponseData(role, dict(given), phase) for _ in range(n)]


def _units_of(elem: Element, asked: list[Item]) -> list[tuple[str, list[Item]]]:
    units = [(elem.id, asked)]
    units += [(elem.id + facet.id, [i for i in asked if i.facet == facet.id]) for facet in elem.facets]
    return units


def _spread(value: float, items: list[Item]) -> dict[str, int]:
    """Answers whose mean (after reverse-keying) is ``value``."""
    low = int(value)
    if len(items) % 2 and value != low:
        raise ValueError(f"{value} needs an even number of items")
    result = {}
    for index, item in enumerate(items):
        answer = low + 1 if value != low and index % 2 else low
        result[item.id] = 6 - answer if item.reverse else answer
    return result
