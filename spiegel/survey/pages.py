"""The questionnaire as a sequence of short pages, derived from the round's modules and the
respondent's role. Pure: the same inputs always give the same pages, so a stored page index is a
stable place to resume."""
from dataclasses import dataclass

from spiegel.instrument.model import Group, Item, Module, OpenQuestion


@dataclass(frozen=True, eq=False)  # built once per process (see services.pages_for): identity is equality
class Page:
    kind: str  # "phase", "items" or "open"
    module: Module
    group: Group | None = None
    items: tuple[Item, ...] = ()
    questions: tuple[OpenQuestion, ...] = ()
    first_of_module: bool = False


def build_pages(modules: list[Module], role: str, items_per_page: int) -> list[Page]:
    """Pages in order: per module the phase question (if any), item pages per group that never
    split a sub-element and hold at most items_per_page items (unless one sub-element has more),
    then the module's open questions. The review/submit step comes after the last page."""
    pages: list[Page] = []
    for module in modules:
        start = len(pages)
        if module.phase is not None:
            pages.append(Page("phase", module))
        for group in module.groups:
            chunk: list[Item] = []
            for element in group.elements:
                items = [item for item in element.items if item.asked_of(role)]
                if chunk and len(chunk) + len(items) > items_per_page:
                    pages.append(Page("items", module, group, tuple(chunk)))
                    chunk = []
                chunk.extend(items)
            if chunk:
                pages.append(Page("items", module, group, tuple(chunk)))
        if module.open_questions:
            pages.append(Page("open", module, questions=module.open_questions))
        if len(pages) > start:
            first = pages[start]
            pages[start] = Page(first.kind, first.module, first.group, first.items, first.questions, True)
    return pages
