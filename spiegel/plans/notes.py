"""The team's own words about its mirror: its explanations ("toelichting") of bottlenecks and attention
points, written in the conversation and shown in its mirror and the next one; and who carries the plan."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from spiegel.plans.models import NOTE_MAX, Plan, TeamNote
from spiegel.plans.services import round_elements
from spiegel.results.profiles import previous_round_of
from spiegel.rounds.models import RoundTeam
from spiegel.shared.clock import utcnow
from spiegel.shared.extensions import db

# -- the team's notes ("toelichting") -------------------------------------------------------------

def notes_of(round_team_id: int) -> dict[str, str]:
    """Element id → the team's explanation of it (only the written ones)."""
    rows = db.session.execute(select(TeamNote.element_id, TeamNote.text)
                              .where(TeamNote.round_team_id == round_team_id).order_by(TeamNote.id))
    return {element_id: text for element_id, text in rows if text}


def save_note(round_team: RoundTeam, element_id: str, text: str) -> None:
    """Keep (or, when empty, clear) the team's explanation of one of its elements. ValueError for an
    element the round does not ask or a text that is too long."""
    if element_id not in round_elements(round_team.round):
        raise ValueError(f"unknown element {element_id}")
    text = text.strip()
    if len(text) > NOTE_MAX:
        raise ValueError("note too long")
    note = db.session.scalar(select(TeamNote).where(TeamNote.round_team_id == round_team.id,
                                                    TeamNote.element_id == element_id))
    if note is None:
        if not text:
            return
        note = TeamNote(round_team_id=round_team.id, element_id=element_id)
        db.session.add(note)
    note.text, note.updated_at = text, utcnow()
    try:
        db.session.commit()
    except IntegrityError:  # saved at the same moment from another screen: the later text wins
        db.session.rollback()
        save_note(round_team, element_id, text)


@dataclass(frozen=True)
class NoteReport:
    element_id: str
    name: Mapping[str, str]  # {"nl", "en", "fr"}
    text: str


def notes_for_report(round_team_id: int) -> tuple[NoteReport, ...]:
    """The team's follow-up list: its explanations, in questionnaire order."""
    round_team = db.session.get(RoundTeam, round_team_id)
    if round_team is None:
        return ()
    notes = notes_of(round_team_id)
    elements = round_elements(round_team.round)
    return tuple(NoteReport(e, dict(elements[e].name), notes[e]) for e in elements if e in notes)


# -- who carries the plan -------------------------------------------------------------------------

# Seed 003 (003:2339-2347) asks for a broad team around the mirror — at least a manager, someone "from
# the line" (HR, quality care) and a teacher — so that ownership is anchored in the organisation. The
# plan page warns when its owners lack one of these. Suggested roles count directly; a typed owner
# counts when it names the role in one of the languages.
ROLE_KINDS = ("leader", "teacher", "line")
_ROLE_OF_OWNER = {"leadership": "leader", "board": "leader", "team": "teacher", "coordinator": "line",
                  "quality": "line"}
_ROLE_WORDS = {
    "leader": ("leid", "leader", "directeur", "directie", "director", "manager", "direction", "chef", "rector",
               "principal", "bestuur", "board"),
    "teacher": ("docent", "leraar", "leerkracht", "teacher", "enseignant", "professeur", "team", "équipe",
                "equipe"),
    "line": ("kwaliteit", "quality", "qualité", "qualite", "zorg", "support", "ondersteun", "hr", "p&o",
             "coördinat", "coordinat", "soutien", "accompagn", "care"),
}

_WHOLE_WORDS = {"hr", "p&o", "team", "équipe", "equipe", "care", "chef", "board"}  # "teamleider" leads


def owner_kinds(owner_role: str | None, owner: str) -> set[str]:
    if owner_role in _ROLE_OF_OWNER:
        return {_ROLE_OF_OWNER[owner_role]}
    words = set(re.findall(r"[\w&]+", owner.casefold()))
    text = owner.casefold()
    return {kind for kind, stems in _ROLE_WORDS.items()
            if any(stem in words if stem in _WHOLE_WORDS else stem in text for stem in stems)}


def missing_roles(plan: Plan) -> list[str]:
    """The kinds of owner (ROLE_KINDS) no action of the plan names; [] for a plan without actions."""
    actions = [a for s in plan.sprints for a in s.actions]
    if not actions:
        return []
    present: set[str] = set()
    for action in actions:
        present |= owner_kinds(action.owner_role, action.owner)
    return [kind for kind in ROLE_KINDS if kind not in present]


def previous_notes_for_report(round_team_id: int) -> tuple[NoteReport, ...]:
    """The same team's explanations in its previous round (see previous_plan_for_report)."""
    round_team = db.session.get(RoundTeam, round_team_id)
    earlier = previous_round_of(round_team) if round_team is not None else None
    return notes_for_report(earlier[0]) if earlier is not None else ()

