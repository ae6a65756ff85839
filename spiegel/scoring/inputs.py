"""What scoring reads: one respondent's submitted answers, as plain data."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spiegel.instrument.model import PHASES, ROLES

SCALE = (1, 2, 3, 4, 5)
# Role subgroups compared for perception gaps (PRODUCT.md: teachers vs leaders). "other" belongs to
# neither: it answers only the items meant for everyone and is counted in the team only.
TEACHERS = "teachers"
LEADERS = "leaders"
SUBGROUP_ROLES: Mapping[str, frozenset[str]] = {
    TEACHERS: frozenset({"teacher"}),
    LEADERS: frozenset({"leader", "support"}),
}


@dataclass(frozen=True)
class ResponseData:
    """One submitted response.

    ``answers`` maps item id to 1..5, or to None for "weet niet / n.v.t."; an item the respondent
    skipped is simply absent. ``phase`` is the phase code the respondent chose (INI, IMP, BOR, DIF) or
    None when they did not answer the phase question. ``step`` is the release step that took the
    response into the team's snapshot (higher is later, across teams; see :mod:`spiegel.scoring.growth`).
    """

    role: str
    answers: Mapping[str, int | None]
    phase: str | None = None
    step: int = 1

    def __post_init__(self) -> None:
        # Checked here, once, so that a bad row from the database fails loudly instead of becoming a
        # silently wrong mean.
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}")
        if self.phase is not None and self.phase not in PHASES:
            raise ValueError(f"unknown phase {self.phase!r}")
        for item_id, value in self.answers.items():
            if value is not None and value not in SCALE:
                raise ValueError(f"answer to {item_id} must be 1..5 or None, got {value!r}")
