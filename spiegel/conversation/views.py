"""The facilitator's projector: /conversation/<round_team_id>/<step> (thin views; the steps are built in
spiegel.conversation.services, votes in spiegel.survey.votes). Only for a released result and
for whoever may facilitate the team (spiegel.accounts.access.can_facilitate); others get a 404."""
from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from spiegel.accounts.access import can_facilitate, login_required, round_team_or_404
from spiegel.conversation import forms, services
from spiegel.plans import notes
from spiegel.plans import services as plans
from spiegel.reports import services as reports
from spiegel.results import profiles as results
from spiegel.shared.i18n import current_language, localized
from spiegel.survey import votes

bp = Blueprint("conversation", __name__, url_prefix="/conversation/<int:round_team_id>")


@bp.url_value_preprocessor
def load_round_team(endpoint, values):
    if not current_user.is_authenticated:
        return  # login_required sends the visitor to the login page first
    round_team = round_team_or_404(values.get("round_team_id"))
    if not can_facilitate(round_team):
        abort(404)
    g.round_team = round_team
    # The team looks at this screen: its language, unless the facilitator chose one.
    g.audience_language = round_team.round.default_language


@bp.url_defaults
def keep_round_team(endpoint, values):
    if "round_team_id" not in values and "round_team" in g:
        values["round_team_id"] = g.round_team.id


def _report_and_steps():
    """The team's mirror and the conversation's steps; a redirect to the mirror (which says why) while
    the results are not released or too few answered."""
    if not results.refresh_releases([g.round_team.id]):
        return None, None
    report = reports.team_report(g.round_team, current_language(), medium="web")
    if report.suppressed:
        return None, None
    return report, services.steps(report)


def _to_mirror():
    return redirect(url_for("reports.mirror", round_team_id=g.round_team.id))


def _element_names() -> dict[str, str]:
    return {e: localized(element.name) for e, element in plans.round_elements(g.round_team.round).items()}


@bp.get("")
@login_required
def start(round_team_id):
    return redirect(url_for(".step", number=1))


@bp.get("/<int:number>")
@login_required
def step(round_team_id, number):
    report, all_steps = _report_and_steps()
    if report is None:
        return _to_mirror()
    if not 1 <= number <= len(all_steps):
        abort(404)
    return _render(report, all_steps, number)


def _render(report, all_steps, number, form=None, status=200):
    current = all_steps[number - 1]
    context = {"r": report, "steps": all_steps, "step": current, "names": _element_names()}
    if current.kind == services.NOTE:
        if form is None:
            form = forms.NoteForm()
            form.text.data = notes.notes_of(g.round_team.id).get(current.highlight.id, "")
        context["form"] = form
    elif current.kind == services.FOCUS:
        allowed = _candidates(report)
        vote = votes.vote_of(g.round_team.id)
        plan = plans.plan_of(g.round_team.id)
        vote_results = votes.results(vote) if vote else None
        if plan is not None and plan.focus:
            selected = list(plan.focus)
        elif vote_results and vote_results.shown:
            selected = [e for e, count in vote_results.counts if count][:3]
        else:
            selected = [p.element_id for p in report.focus]
        context.update(candidates=allowed, selected=set(selected), vote=vote, vote_results=vote_results,
                       form=form, team_link=url_for("survey.join", code=g.round_team.code, _external=True),
                       code=g.round_team.code, minimum=current_app.config["MIN_GROUP_SIZE"])
    elif current.kind == services.PLAN:
        plan = plans.plan_of(g.round_team.id)
        context.update(plan=plan, missing=notes.missing_roles(plan) if plan else [],
                       role_labels=plans.ROLE_LABELS)
    return render_template("conversation/step.html", **context), status


@bp.post("/<int:number>/note")
@login_required
def note(round_team_id, number):
    report, all_steps = _report_and_steps()
    if report is None:
        return _to_mirror()
    if not 1 <= number <= len(all_steps) or all_steps[number - 1].kind != services.NOTE:
        abort(404)
    form = forms.NoteForm()
    if not form.validate_on_submit():
        return _render(report, all_steps, number, form=form, status=400)
    notes.save_note(g.round_team, all_steps[number - 1].highlight.id, form.text.data or "")
    flash(_("Saved. The explanation is on the team's follow-up list and in its mirror."))
    return redirect(url_for(".step", number=number + 1))


def _candidates(report) -> list[str]:
    """The focus points the team may choose or vote on: the mirror's candidates the plan can take."""
    return services.candidates(report, [e.id for e in plans.focus_choices(g.round_team.round)])


def _focus_step(all_steps) -> int:
    return next(s.number for s in all_steps if s.kind == services.FOCUS)


@bp.post("/vote/open")
@login_required
def open_vote(round_team_id):
    report, all_steps = _report_and_steps()
    if report is None:
        return _to_mirror()
    allowed = _candidates(report)
    form = forms.vote_open_form(allowed)
    if not form.validate_on_submit():
        return _render(report, all_steps, _focus_step(all_steps), form=form, status=400)
    votes.open_vote(g.round_team, [e for e in allowed if e in form.elements.data])
    flash(_("The vote is open. Colleagues vote on their phones with the team code."))
    return redirect(url_for(".step", number=_focus_step(all_steps), _anchor="vote"))


@bp.post("/vote/close")
@login_required
def close_vote(round_team_id):
    report, all_steps = _report_and_steps()
    if report is None:
        return _to_mirror()
    vote = votes.vote_of(g.round_team.id)
    if vote is None:
        abort(404)
    votes.close_vote(vote)
    return redirect(url_for(".step", number=_focus_step(all_steps), _anchor="vote"))


@bp.post("/focus")
@login_required
def focus(round_team_id):
    report, all_steps = _report_and_steps()
    if report is None:
        return _to_mirror()
    allowed = _candidates(report)
    form = forms.focus_form(allowed)
    if not form.validate_on_submit():
        return _render(report, all_steps, _focus_step(all_steps), form=form, status=400)
    services.choose_focus(g.round_team, [e for e in allowed if e in form.elements.data], current_language())
    flash(_("The focus points are chosen. Here is the plan proposal built on them."))
    return redirect(url_for(".step", number=len(all_steps)))

