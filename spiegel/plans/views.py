"""The plan editor: /plan/<round_team_id>/… (thin views; the logic is in spiegel.plans.services).

Anyone who may see the team's mirror sees its plan; changing it needs can_edit_plan. Plain HTML forms, no
JavaScript: actions move with up/down buttons, the action list of another element opens with a GET form.
Every POST is CSRF-checked by the app-wide CSRFProtect.
"""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from spiegel.accounts.access import (
    board_or_404,
    can_edit_plan,
    learning_scope,
    login_required,
    round_team_or_404,
)
from spiegel.org.models import School
from spiegel.plans import learning, notes, services, texts
from spiegel.plans.forms import (
    ActionForm,
    CreatePlanForm,
    DeletePlanForm,
    EditActionForm,
    FocusForm,
    MoveForm,
    PulseForm,
    ReviewForm,
    ShareForm,
    SprintForm,
)
from spiegel.plans.library import load_library
from spiegel.plans.models import DECISIONS, VALUE_KINDS
from spiegel.shared.extensions import db
from spiegel.shared.i18n import current_language

bp = Blueprint("plans", __name__, url_prefix="/plan/<int:round_team_id>")
# Learning across teams: the school's (or board's) plans pooled by element.
learning_bp = Blueprint("learning", __name__)

# A bad action library stops the app at start-up, like a bad item bank.
bp.record_once(lambda state: load_library())


@bp.url_value_preprocessor
def load_round_team(endpoint, values):
    if not current_user.is_authenticated:
        return  # login_required sends the visitor to the login page first
    round_team = round_team_or_404(values.get("round_team_id"))
    g.round_team = round_team
    g.round_language = round_team.round.default_language  # the team's language unless the user chose one


@bp.url_defaults
def keep_round_team(endpoint, values):
    if "round_team_id" not in values and "round_team" in g:
        values["round_team_id"] = g.round_team.id


@bp.context_processor
def plan_context():
    return {"round_team": g.get("round_team"), "library": load_library(),
            "decision_labels": texts.DECISION_LABELS, "decision_hints": texts.DECISION_HINTS,
            "value_labels": texts.VALUE_LABELS, "value_hints": texts.VALUE_HINTS,
            "value_of": services.value_stories,
            "owner_suggestions": [texts.owner_label(k) for k in texts.OWNER_SUGGESTIONS],
            "goal_of": texts.goal_text, "indicator_of": texts.indicator_text, "owner_of": texts.owner_text}


def _editable():
    if not can_edit_plan(g.round_team.team_id):
        abort(403)


def _plan_or_404():
    plan = services.plan_of(g.round_team.id)
    if plan is None:
        abort(404)
    return plan


def _sprint_or_404(plan, number):
    sprint = services.sprint_of(plan, number)
    if sprint is None:
        abort(404)
    return sprint


def _action_or_404(plan, plan_action_id):
    try:
        found = services.action_of(plan, plan_action_id)
    except LookupError:
        abort(404)
    return found


def _to_plan(anchor: str | None = None):
    return redirect(url_for(".show", _anchor=anchor) if anchor else url_for(".show"))


@bp.get("")
@login_required
def show(round_team_id):
    plan = services.plan_of(round_team_id)
    round_ = g.round_team.round
    shown = plan is not None or services.can_propose(g.round_team)
    return render_template(
        "plans/show.html", plan=plan, proposal_possible=shown, elements=services.round_elements(round_),
        editable=can_edit_plan(g.round_team.team_id),
        previous=services.previous_plan_for_report(round_team_id), pulses=services.pulses(g.round_team),
        pulse_form=PulseForm(), share_form=ShareForm(), now=services.utcnow(),
        missing_roles=[texts.ROLE_LABELS[kind] for kind in notes.missing_roles(plan)] if plan else [])


@bp.post("/pulse")
@login_required
def start_pulse(round_team_id):
    """A pulse round of the plan's focus points and the sustainability indicators, open now."""
    _editable()
    plan = _plan_or_404()
    if not PulseForm().validate():
        abort(400)
    try:
        pulse = services.start_pulse(plan, name=_("Pulse %(date)s · %(team)s", date=format_date(services.today()),
                                                   team=g.round_team.team.name))
    except services.PulseError:
        flash(_("Choose the focus points first: a pulse measures them again."))
        return _to_plan("pulse")
    flash(_("The pulse is open for %(days)s days. Share its code with the team.", days=services.PULSE_DAYS))
    return redirect(url_for("rounds.study_day", round_id=pulse.round_id, round_team_id=pulse.id))


@bp.post("/create")
@login_required
def create(round_team_id):
    _editable()
    form = CreatePlanForm()
    if not form.validate():
        abort(400)
    plan = services.plan_of(round_team_id)
    if plan is None:
        generate = form.mode.data == "proposal"
        plan = services.create_plan(g.round_team, generate=generate, language=current_language())
        if generate and not plan.generated:
            flash(_("Too few colleagues answered for a proposal, so the plan starts empty."))
        else:
            flash(_("The plan is ready. Change anything you like."))
    return _to_plan()


@bp.post("/share")
@login_required
def share(round_team_id):
    """Share the plan with the facilitators of the school's other teams, or stop sharing it."""
    _editable()
    plan = _plan_or_404()
    form = ShareForm()
    if not form.validate():
        abort(400)
    services.set_shared(plan, form.shared.data == "yes")
    flash(_("The plan is shared with the school's other teams.") if plan.shared
          else _("The plan is no longer shared with the other teams."))
    return _to_plan("share")


@bp.route("/discard", methods=["GET", "POST"])
@login_required
def discard(round_team_id):
    _editable()
    plan = _plan_or_404()
    form = DeletePlanForm()
    if form.validate_on_submit():
        services.delete_plan(plan)
        flash(_("The plan was discarded."))
        return _to_plan()
    return render_template("plans/discard.html", form=form), 400 if form.errors else 200


@bp.route("/focus", methods=["GET", "POST"])
@login_required
def focus(round_team_id):
    _editable()
    plan = _plan_or_404()
    choices = services.focus_choices(g.round_team.round)
    form = FocusForm(allowed=[e.id for e in choices])
    if request.method == "GET":
        form.elements.data = list(plan.focus)
    elif form.validate_on_submit():
        services.set_focus(plan, form.elements.data or [])
        flash(_("The focus points are saved."))
        return _to_plan()
    return render_template("plans/focus.html", form=form, groups=services.focus_groups(g.round_team.round),
                           selected=set(form.elements.data or [])), 400 if form.errors else 200


@bp.route("/sprint/<int:number>", methods=["GET", "POST"])
@login_required
def edit_sprint(round_team_id, number):
    _editable()
    plan = _plan_or_404()
    sprint = _sprint_or_404(plan, number)
    earliest, latest = services.date_range(g.round_team.round)
    form = SprintForm(obj=sprint if request.method == "GET" else None, earliest=earliest, latest=latest)
    if request.method == "GET":  # the proposal's texts in this page's language
        form.goal.data, form.indicator.data = texts.goal_text(sprint), texts.indicator_text(sprint)
    if form.validate_on_submit():
        services.update_sprint(sprint, goal=form.goal.data, starts_on=form.starts_on.data, ends_on=form.ends_on.data,
                               indicator=form.indicator.data or "", cimo_context=form.cimo_context.data or "",
                               cimo_intervention=form.cimo_intervention.data or "",
                               cimo_mechanism=form.cimo_mechanism.data or "", cimo_outcome=form.cimo_outcome.data or "")
        flash(_("Sprint %(n)s is saved.", n=number))
        return _to_plan(f"sprint-{number}")
    return render_template("plans/sprint.html", form=form, sprint=sprint, earliest=earliest,
                           latest=latest), 400 if form.errors else 200


@bp.route("/sprint/<int:number>/review", methods=["GET", "POST"])
@login_required
def review(round_team_id, number):
    _editable()
    plan = _plan_or_404()
    sprint = _sprint_or_404(plan, number)
    form = ReviewForm()
    if request.method == "GET":
        form.happened.data, form.learned.data = sprint.review_happened, sprint.review_learned
        form.decision.data, form.reason.data = sprint.decision or "", sprint.decision_reason
        form.show_value(sprint.value or [])
    elif form.validate_on_submit():
        services.save_review(sprint, happened=form.happened.data or "", learned=form.learned.data or "",
                             decision=form.decision.data or None, reason=form.reason.data or "", value=form.value())
        flash(_("The review of sprint %(n)s is saved.", n=number))
        return _to_plan(f"sprint-{number}")
    return render_template("plans/review.html", form=form, sprint=sprint, plan=plan, decisions=DECISIONS,
                           value_kinds=VALUE_KINDS), 400 if form.errors else 200


@bp.route("/sprint/<int:number>/add", methods=["GET", "POST"])
@login_required
def add_action(round_team_id, number):
    _editable()
    plan = _plan_or_404()
    sprint = _sprint_or_404(plan, number)
    library = load_library()
    choices = services.focus_choices(g.round_team.round, library)
    browse = request.args.get("element")
    if browse not in {e.id for e in choices}:
        browse = None
    form = ActionForm()
    if form.validate_on_submit():
        before = len(sprint.actions)
        services.add_action(sprint, action_id=form.action_id.data or None, own_text=form.own_text.data,
                            owner=form.owner.data or "")
        if len(sprint.actions) == before:
            flash(_("This action was already in sprint %(n)s.", n=number))
        else:
            flash(_("The action is added to sprint %(n)s.", n=number))
        return _to_plan(f"sprint-{number}")
    in_sprint = {a.action_id for a in sprint.actions if a.action_id}
    suggested = [(element_id, [a for a in library.for_element(element_id) if a.id not in in_sprint])
                 for element_id in plan.focus]
    browsed = [a for a in library.for_element(browse) if a.id not in in_sprint] if browse else []
    return render_template("plans/add_action.html", form=form, sprint=sprint, plan=plan, suggested=suggested,
                           browse=browse, browsed=browsed, choices=choices,
                           elements=services.round_elements(g.round_team.round)), 400 if form.errors else 200


@bp.route("/action/<int:plan_action_id>", methods=["GET", "POST"])
@login_required
def edit_action(round_team_id, plan_action_id):
    _editable()
    plan = _plan_or_404()
    item = _action_or_404(plan, plan_action_id)
    if item is None:
        abort(404)
    numbers = [s.number for s in plan.sprints]
    form = EditActionForm(sprint_numbers=numbers, own=item.action_id is None)
    if request.method == "GET":
        form.own_text.data, form.owner.data = item.own_text, texts.owner_text(item)
        form.sprint.data = item.sprint.number
    elif form.validate_on_submit():
        target = services.sprint_of(plan, form.sprint.data)
        services.update_action(item, owner=form.owner.data or "", own_text=form.own_text.data, sprint=target)
        flash(_("The action is saved."))
        return _to_plan(f"sprint-{target.number}")
    return render_template("plans/action.html", form=form, item=item, plan=plan), 400 if form.errors else 200


@bp.post("/action/<int:plan_action_id>/move")
@login_required
def move_action(round_team_id, plan_action_id):
    _editable()
    plan = _plan_or_404()
    item = _action_or_404(plan, plan_action_id)
    if item is None:
        flash(_("This action is no longer in the plan."))
        return _to_plan()
    form = MoveForm()
    if not form.validate():
        abort(400)
    number = item.sprint.number
    services.move_action(item, form.direction.data, form.position.data)
    return _to_plan(f"sprint-{number}")


@bp.post("/action/<int:plan_action_id>/remove")
@login_required
def remove_action(round_team_id, plan_action_id):
    _editable()
    plan = _plan_or_404()
    item = _action_or_404(plan, plan_action_id)
    if item is None:  # a second click on "remove"
        flash(_("This action is no longer in the plan."))
        return _to_plan()
    number = item.sprint.number
    services.remove_action(item)
    flash(_("The action is removed from sprint %(n)s.", n=number))
    return _to_plan(f"sprint-{number}")


# -- learning across teams -----------------------------------------------------------------------


def _learning_page(title: str, subtitle: str, pooled, everything: bool, back: str):
    element = request.args.get("element") or None
    shown = [e for e in pooled if element is None or e.element_id == element]
    if element is not None and not shown and element not in {e.element_id for e in pooled}:
        element = None  # an unknown element: show everything
        shown = pooled
    return render_template("plans/learning.html", title=title, subtitle=subtitle, pooled=pooled, shown=shown,
                           element=element, everything=everything, back=back)


@learning_bp.get("/schools/<int:school_id>/learning")
@login_required
def school(school_id):
    scope = learning_scope(school_id)
    if scope is None:
        abort(404)
    everything, own = scope
    school_ = db.session.get(School, school_id)
    pooled = learning.pooled_plans([school_id], everything=everything, own_teams=own)
    return _learning_page(_("Learning across teams"), school_.name, pooled, everything, url_for("dashboard.index"))


@learning_bp.get("/boards/<int:board_id>/learning")
@login_required
def board(board_id):
    board_ = board_or_404(board_id)
    pooled = learning.pooled_plans([s.id for s in board_.schools], everything=True)
    return _learning_page(_("Learning across teams"), board_.name, pooled, True, url_for("dashboard.index"))
