"""The sprint improvement plan of one round-team: Plan → Sprint → PlanAction.

A plan belongs to a team's participation in a round (at most one per round-team). Texts the team writes
(goals, indicators, CIMO notes, reviews, owners, own actions) are stored as typed; library actions are
stored by their stable id in spiegel/plans/actions.yaml, so they show in every language. So are the
proposal's own texts: a generated goal or indicator as a key with parameters (``generated_goal``,
``generated_indicator``), a suggested owner as a role (``owner_role``), each written in the language of
the page or PDF that shows it (spiegel.plans.texts.goal_text and friends). Once the team rewrites one,
the typed text replaces it.
"""
from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from spiegel.rounds.models import RoundTeam
from spiegel.shared.extensions import db

# The decision a sprint review records (MODEL.md §5: continue/adapt/stop from seed 000, "verdieping" and
# "verbreding" from seed 003).
DECISIONS = ("continue", "adapt", "deepen", "broaden", "stop")
# The value a sprint created, in the five kinds of value creation of seed 004 (004:3792-3822, after
# Nijland & van Amersfoort): productive conversations, useful resources, changed practice, visible
# results, new insights. Each is optional; the team gives a short example in its own words.
VALUE_KINDS = ("conversations", "resources", "practice", "results", "insights")

# Longest texts a team may type (checked by the forms; the columns are wide enough).
GOAL_MAX = 300
INDICATOR_MAX = 500
CIMO_MAX = 1000
REVIEW_MAX = 2000
REASON_MAX = 1000
VALUE_MAX = 500
OWN_TEXT_MAX = 300
OWNER_MAX = 100


class Plan(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    round_team_id: Mapped[int] = mapped_column(ForeignKey("round_team.id", ondelete="CASCADE"), unique=True)
    # True when the plan started from the generated proposal, False when the team started an empty one.
    generated: Mapped[bool] = mapped_column(default=False)
    # Element ids, in order: the focus points, and the low-agreement elements to talk about first.
    focus: Mapped[list[str]] = mapped_column(JSON, default=list)
    discussion: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The profile suggested asking whether to go on at all (pattern PP10).
    rethink: Mapped[bool] = mapped_column(default=False)
    # The language the proposal's texts were written in.
    language: Mapped[str] = mapped_column(String(5), default="nl")
    # The team shares its plan (CIMO notes, decisions, value) with the facilitators of the school's other
    # teams on the learning page; its school's leaders and coaches see it either way.
    shared: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    round_team: Mapped[RoundTeam] = relationship()
    sprints: Mapped[list["Sprint"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", passive_deletes=True, order_by="Sprint.number")


class Sprint(db.Model):
    __table_args__ = (
        UniqueConstraint("plan_id", "number"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
        CheckConstraint("decision IS NULL OR decision IN ('continue', 'adapt', 'deepen', 'broaden', 'stop')",
                        name="decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    goal: Mapped[str] = mapped_column(String(GOAL_MAX))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    indicator: Mapped[str] = mapped_column(Text, default="")
    cimo_context: Mapped[str] = mapped_column(Text, default="")
    cimo_intervention: Mapped[str] = mapped_column(Text, default="")
    cimo_mechanism: Mapped[str] = mapped_column(Text, default="")
    cimo_outcome: Mapped[str] = mapped_column(Text, default="")
    review_happened: Mapped[str] = mapped_column(Text, default="")
    review_learned: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The value the sprint created: [{"kind": one of VALUE_KINDS, "example": the team's text}], in
    # VALUE_KINDS order; a kind ticked without an example has example "".
    value: Mapped[list[dict]] = mapped_column(JSON, default=list, server_default="[]")
    # The proposal's goal, {"key": "start"|"middle"|"last"|"talk"|"choose", "focus": [...], "units": {...}},
    # and indicator, {"key": "more"|"fewer", "item": item id}; None when the team's own text counts.
    generated_goal: Mapped[dict | None] = mapped_column(JSON)
    generated_indicator: Mapped[dict | None] = mapped_column(JSON)

    plan: Mapped[Plan] = relationship(back_populates="sprints")
    actions: Mapped[list["PlanAction"]] = relationship(
        back_populates="sprint", cascade="all, delete-orphan", passive_deletes=True, order_by="PlanAction.position")


class PlanAction(db.Model):
    """An action in a sprint: from the library (``action_id``) or written by the team (``own_text``)."""

    __table_args__ = (
        CheckConstraint("(action_id IS NULL) <> (own_text IS NULL)", name="source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprint.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    action_id: Mapped[str | None] = mapped_column(String(40))
    own_text: Mapped[str | None] = mapped_column(String(OWN_TEXT_MAX))
    owner: Mapped[str] = mapped_column(String(OWNER_MAX), default="")
    # A suggested owner as a role (spiegel.plans.library.OWNERS), shown in the reader's language;
    # None when ``owner`` holds what the team typed.
    owner_role: Mapped[str | None] = mapped_column(String(20))

    sprint: Mapped[Sprint] = relationship(back_populates="actions")
