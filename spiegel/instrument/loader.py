"""Load and validate the instrument data files (spiegel/instrument/data/*.yaml).

Validation is strict because these files are edited by hand: a bad file fails at start-up with a
message naming the file, the id and the problem (InstrumentError).
"""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from spiegel.instrument.model import (
    ALL_ROLES,
    GROUP_KINDS,
    PHASES,
    POLARITIES,
    ROLES,
    Element,
    Facet,
    Group,
    Instrument,
    Item,
    Module,
    OpenQuestion,
    PhaseOption,
    PhaseQuestion,
)
from spiegel.instrument.schema import DataReader, seed_lines

DATA_DIR = Path(__file__).parent / "data"
MAX_ITEMS = 100
# A pillar may have a single item: in version 2 a pillar that overlaps an element of the conditions module
# keeps one, so both modules together stay short enough for a phone (docs/instrument-v2.md).
ITEMS_PER_ELEMENT = {"condition": (2, 4), "pillars": (1, 4), "outcome": (1, 1)}


class InstrumentError(ValueError):
    """A data file breaks a rule; the message names the file, the id and the problem."""


@cache
def load_instrument(data_dir: Path = DATA_DIR) -> Instrument:
    """Every module version in data_dir, validated. Cached: the files do not change while running."""
    seeds = seed_lines()
    modules: dict[tuple[str, int], Module] = {}
    seen_ids: dict[str, str] = {}
    for path in sorted(Path(data_dir).glob("*.yaml")):
        module = _Reader(path, seeds).module()
        if (module.id, module.version) in modules:
            raise InstrumentError(f"{path.name}: {module.id}: version {module.version} is defined twice")
        # Element and item ids are stable keys in stored answers: unique across modules, except
        # that a later version of the same module reuses its own ids.
        for key in _ids(module):
            owner = seen_ids.setdefault(key, module.id)
            if owner != module.id:
                raise InstrumentError(f"{path.name}: {key}: id already used in module {owner!r}")
        modules[(module.id, module.version)] = module
    if not modules:
        raise InstrumentError(f"{data_dir}: no instrument files (*.yaml)")
    newest = [Instrument(modules).module(mid) for mid in {mid for mid, _ in modules}]
    total = sum(len(list(m.items())) for m in newest)
    if total > MAX_ITEMS:
        raise InstrumentError(f"{data_dir}: all modules: {total} items, more than {MAX_ITEMS}")
    return Instrument(modules)


def _ids(module: Module):
    for group in module.groups:
        yield group.id
        for element in group.elements:
            yield element.id
            for item in element.items:
                yield item.id
    for question in module.open_questions:
        yield question.id


class _Reader(DataReader):
    """Turns one YAML file into a Module, failing on the first problem with a precise message."""

    error = InstrumentError

    def __init__(self, path: Path, seeds: dict[str, int]):
        super().__init__(path, seeds)
        self.ids: set[str] = set()

    def module(self) -> Module:
        data = self.load()
        where = str(data.get("id", "(module)")) if isinstance(data, dict) else "(module)"
        self.keys(data, where, required={"id", "version", "name", "intro", "source", "groups"},
                  optional={"phase", "open_questions", "optional"})
        module_id = self.ident(data["id"], where)
        version = self.positive_int(data["version"], module_id, "version")
        groups = self.list(data["groups"], module_id, "groups")
        optional = data.get("optional", False)
        if not isinstance(optional, bool):
            self.fail(module_id, "optional must be true or false")
        return Module(
            id=module_id,
            version=version,
            name=self.text(data["name"], module_id, "name"),
            intro=self.text(data["intro"], module_id, "intro"),
            source=self.source(data["source"], module_id),
            groups=tuple(self.group(g, module_id) for g in groups),
            phase=self.phase(data["phase"], module_id) if "phase" in data else None,
            open_questions=tuple(
                self.open_question(q, module_id) for q in self.list(data.get("open_questions", []), module_id,
                                                                     "open_questions", allow_empty=True)
            ),
            optional=optional,
        )

    def group(self, data, module_id: str) -> Group:
        where = self.where(data, module_id)
        self.keys(data, where, required={"id", "kind", "name", "source", "elements"})
        group_id = self.new_id(data["id"], where)
        kind = self.choice(data["kind"], GROUP_KINDS, group_id, "kind")
        elements = tuple(
            self.element(e, module_id, group_id, kind) for e in self.list(data["elements"], group_id, "elements")
        )
        return Group(group_id, kind, self.text(data["name"], group_id, "name"), self.source(data["source"], group_id),
                     elements)

    def element(self, data, module_id: str, group_id: str, kind: str) -> Element:
        where = self.where(data, group_id)
        self.keys(data, where, required={"id", "name", "definition", "source", "polarity", "roles", "items"},
                  optional={"evidence", "facets"})
        element_id = self.new_id(data["id"], where)
        polarity = self.choice(data["polarity"], POLARITIES, element_id, "polarity")
        roles = self.roles(data["roles"], element_id)
        facets = tuple(
            self.facet(f, element_id)
            for f in self.list(data.get("facets", []), element_id, "facets", allow_empty=True)
        )
        facet_ids = [f.id for f in facets]
        if len(set(facet_ids)) != len(facet_ids):
            self.fail(element_id, f"facet ids repeat: {facet_ids}")
        if polarity in ("bipolar", "balance") and facet_ids != ["a", "b"]:
            self.fail(element_id, f"a {polarity} element needs exactly the facets a and b, found {facet_ids}")
        evidence = data.get("evidence")
        if evidence is not None and evidence != "case":
            self.fail(element_id, "evidence can only be 'case'")
        items = tuple(
            self.item(i, module_id, group_id, element_id, roles, facet_ids)
            for i in self.list(data["items"], element_id, "items")
        )
        low, high = ITEMS_PER_ELEMENT[kind]
        if not low <= len(items) <= high:
            self.fail(element_id, f"has {len(items)} items; a {kind} element needs {low} to {high}")
        for facet in facet_ids:
            if not any(item.facet == facet for item in items):
                self.fail(element_id, f"facet {facet!r} has no items")
        return Element(
            id=element_id,
            name=self.text(data["name"], element_id, "name"),
            definition=self.text(data["definition"], element_id, "definition"),
            source=self.source(data["source"], element_id),
            polarity=polarity,
            roles=roles,
            evidence=evidence,
            facets=facets,
            items=items,
            group_id=group_id,
        )

    def facet(self, data, element_id: str) -> Facet:
        where = self.where(data, element_id)
        self.keys(data, where, required={"id", "name", "source"})
        facet_id = self.ident(data["id"], where)
        where = f"{element_id} facet {facet_id}"
        return Facet(facet_id, self.text(data["name"], where, "name"), self.source(data["source"], where))

    def item(self, data, module_id, group_id, element_id, element_roles, facet_ids) -> Item:
        where = self.where(data, element_id)
        self.keys(data, where, required={"id", "text", "source"}, optional={"reverse", "roles", "facet"})
        item_id = self.new_id(data["id"], where)
        if not item_id.startswith(element_id + "."):
            self.fail(item_id, f"item ids start with their element id ({element_id}.)")
        reverse = data.get("reverse", False)
        if not isinstance(reverse, bool):
            self.fail(item_id, "reverse must be true or false")
        facet = data.get("facet")
        if facet_ids and facet not in facet_ids:
            self.fail(item_id, f"facet must be one of {facet_ids}, found {facet!r}")
        if not facet_ids and facet is not None:
            self.fail(item_id, "has a facet but its element has none")
        return Item(
            id=item_id,
            text=self.text(data["text"], item_id, "text"),
            source=self.source(data["source"], item_id),
            reverse=reverse,
            roles=self.roles(data["roles"], item_id) if "roles" in data else element_roles,
            facet=facet,
            element_id=element_id,
            group_id=group_id,
            module_id=module_id,
        )

    def phase(self, data, module_id: str) -> PhaseQuestion:
        where = f"{module_id} phase"
        self.keys(data, where, required={"text", "help", "source", "options"})
        options = []
        for option in self.list(data["options"], where, "options"):
            owhere = self.where(option, where)
            self.keys(option, owhere, required={"id", "label", "description", "source"})
            option_id = self.choice(option["id"], PHASES, owhere, "id")
            options.append(PhaseOption(option_id, self.text(option["label"], option_id, "label"),
                                       self.text(option["description"], option_id, "description"),
                                       self.source(option["source"], option_id)))
        if [o.id for o in options] != list(PHASES):
            self.fail(where, f"options must be {list(PHASES)} in this order")
        return PhaseQuestion(self.text(data["text"], where, "text"), self.text(data["help"], where, "help"),
                             self.source(data["source"], where), tuple(options))

    def open_question(self, data, module_id: str) -> OpenQuestion:
        where = self.where(data, module_id)
        self.keys(data, where, required={"id", "text"})
        question_id = self.new_id(data["id"], where)
        return OpenQuestion(question_id, self.text(data["text"], question_id, "text"))

    # -- small checks ------------------------------------------------------------------------

    def where(self, data, parent: str) -> str:
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            return data["id"]
        return f"{parent} (entry without id)"

    def ident(self, value, where: str) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.]*", value):
            self.fail(where, f"invalid id {value!r}")
        return value

    def new_id(self, value, where: str) -> str:
        ident = self.ident(value, where)
        if ident in self.ids:
            self.fail(ident, "duplicate id")
        self.ids.add(ident)
        return ident

    def choice(self, value, allowed, where: str, name: str) -> str:
        if value not in allowed:
            self.fail(where, f"{name} must be one of {', '.join(allowed)}, found {value!r}")
        return value

    def roles(self, value, where: str) -> frozenset[str]:
        values = value if isinstance(value, list) else [value]
        if value == "all":
            return ALL_ROLES
        if not values or any(v not in ROLES or v == "other" for v in values):
            self.fail(where, f"roles must be 'all' or a list of teacher, leader, support; found {value!r}")
        return frozenset(values)
