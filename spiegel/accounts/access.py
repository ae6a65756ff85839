"""Who may see and change what. Every staff view calls one of these; out-of-scope objects answer 404
so that a URL never reveals whether another school's round or team exists.

Scopes:
- admin: everything in the installation;
- school_leader (school scope): view and manage their schools' teams, rounds, mirrors, comparison, exports;
- coach (school or team scope): view mirrors and print PDFs of the assigned schools' teams or of the
  assigned teams; a school-scoped coach also sees that school's comparison; edits plans of those teams;
- facilitator (team scope): view their team's mirror and edit its plan;
- board (board scope): the board's schools side by side, school results only (no team's results, no
  school page: drilling down needs a school or team role as well).
"""
from flask import abort
from flask_login import current_user, login_required  # noqa: F401  (re-exported for views)
from sqlalchemy import select

from spiegel.org.models import Board, School, Team
from spiegel.rounds.models import Round, RoundTeam
from spiegel.shared.extensions import db


def _memberships(user):
    if not getattr(user, "is_authenticated", False):
        return []
    return user.memberships


def is_admin(user=None) -> bool:
    user = current_user if user is None else user
    return any(m.role == "admin" for m in _memberships(user))


def managed_school_ids(user=None) -> set[int] | None:
    """Schools whose organisation and rounds the user manages; None means all (admin)."""
    user = current_user if user is None else user
    if is_admin(user):
        return None
    return {m.school_id for m in _memberships(user) if m.role == "school_leader" and m.school_id}


def viewable_school_ids(user=None) -> set[int] | None:
    """Schools whose comparison and exports the user may see; None means all (admin)."""
    user = current_user if user is None else user
    if is_admin(user):
        return None
    return {m.school_id for m in _memberships(user)
            if m.role in ("school_leader", "coach") and m.school_id}


def viewable_team_ids(user=None) -> set[int] | None:
    """Teams whose mirror (web and PDF) the user may see; None means all (admin)."""
    user = current_user if user is None else user
    if is_admin(user):
        return None
    schools = viewable_school_ids(user)
    teams = {m.team_id for m in _memberships(user) if m.role in ("coach", "facilitator") and m.team_id}
    if schools:
        teams |= set(db.session.scalars(select(Team.id).where(Team.school_id.in_(schools))))
    return teams


def viewable_board_ids(user=None) -> set[int] | None:
    """Boards whose schools the user may compare (the view across schools); None means all (admin)."""
    user = current_user if user is None else user
    if is_admin(user):
        return None
    return {m.board_id for m in _memberships(user) if m.role == "board" and m.board_id}


def can_manage_school(school_id: int, user=None) -> bool:
    ids = managed_school_ids(user)
    return ids is None or school_id in ids


def can_view_school(school_id: int, user=None) -> bool:
    ids = viewable_school_ids(user)
    return ids is None or school_id in ids


def can_view_team(team_id: int, user=None) -> bool:
    ids = viewable_team_ids(user)
    return ids is None or team_id in ids


def can_facilitate(round_team: RoundTeam, user=None) -> bool:
    """The team's facilitator, a leader of its school or an administrator: who may release the team's
    results before the round closes and print its personal slips."""
    user = current_user if user is None else user
    return (can_manage_school(round_team.round.school_id, user)
            or any(m.role == "facilitator" and m.team_id == round_team.team_id for m in _memberships(user)))


def can_edit_plan(team_id: int, user=None) -> bool:
    """Facilitators and coaches of the team, leaders of its school, administrators."""
    return can_view_team(team_id, user)


def learning_scope(school_id: int, user=None) -> tuple[bool, set[int]] | None:
    """Who sees the teams' pooled plans of a school (issue 18): its leaders and coaches, its board's
    users and administrators see every plan (True); facilitators and team coaches of its teams see the
    plans their teams chose to share, and their own teams' (False, with their team ids); None: nobody else."""
    user = current_user if user is None else user
    school = db.session.get(School, school_id)
    if school is None:
        return None
    boards = viewable_board_ids(user)
    if can_view_school(school_id, user) or (boards is not None and school.board_id in boards):
        return True, set()
    teams = {m.team_id for m in _memberships(user) if m.role in ("coach", "facilitator") and m.team_id}
    own = set(db.session.scalars(select(Team.id).where(Team.school_id == school_id, Team.id.in_(teams)))) \
        if teams else set()
    return (False, own) if own else None


# -- loaders for views: the object, or 404 when it does not exist or is out of scope ------------

def board_or_404(board_id: int) -> Board:
    """A board, for the view across its schools."""
    board = db.session.get(Board, board_id)
    ids = viewable_board_ids()
    if board is None or (ids is not None and board.id not in ids):
        abort(404)
    return board


def school_or_404(school_id: int, manage: bool = False) -> School:
    school = db.session.get(School, school_id)
    allowed = school is not None and (can_manage_school(school.id) if manage else can_view_school(school.id))
    if not allowed:
        abort(404)
    return school


def team_or_404(team_id: int, manage: bool = False) -> Team:
    team = db.session.get(Team, team_id)
    allowed = team is not None and (can_manage_school(team.school_id) if manage else can_view_team(team.id))
    if not allowed:
        abort(404)
    return team


def round_or_404(round_id: int, manage: bool = False) -> Round:
    """A round, for its school's comparison/exports (manage=False) or for managing it (manage=True)."""
    round_ = db.session.get(Round, round_id)
    allowed = round_ is not None and (can_manage_school(round_.school_id) if manage
                                      else can_view_school(round_.school_id))
    if not allowed:
        abort(404)
    return round_


def round_team_or_404(round_team_id: int) -> RoundTeam:
    """A team's participation in a round, for its mirror and plan."""
    round_team = db.session.get(RoundTeam, round_team_id)
    if round_team is None or not can_view_team(round_team.team_id):
        abort(404)
    return round_team
