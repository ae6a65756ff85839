"""Forms of the plan editor. WTForms validates; the templates write the markup (radio lists of actions and
decisions are plain Jinja). Every message is translated; nothing is saved unless the whole form is valid."""
from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Optional, ValidationError

from spiegel.plans.library import load_library
from spiegel.plans.models import (
    CIMO_MAX,
    DECISIONS,
    GOAL_MAX,
    INDICATOR_MAX,
    OWN_TEXT_MAX,
    OWNER_MAX,
    REASON_MAX,
    REVIEW_MAX,
    VALUE_KINDS,
    VALUE_MAX,
)

MAX_SPRINT_DAYS = 366
MAX_FOCUS = 3


def _strip(value):
    """Surrounding blanks dropped: a choice of only spaces is no choice (WTForms' Optional() lets it
    through unchecked otherwise)."""
    return value.strip() if isinstance(value, str) else value


def _at_most(limit: int) -> Length:
    return Length(max=limit, message=_l("Please keep this to at most %(max)s characters.", max=limit))


class PlanDateField(DateField):
    """A date (``<input type="date">`` sends YYYY-MM-DD) with a translated message for bad input."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("Please enter a valid date."))) from exc


class SprintNumberField(IntegerField):
    """A sprint number, with a translated message for input that is not a number."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(_l("Choose one of the sprints of this plan."))) from exc


class CreatePlanForm(FlaskForm):
    mode = StringField(validators=[AnyOf(("proposal", "empty"), message=_l("Choose how to start the plan."))])


class PulseForm(FlaskForm):
    """Start a pulse round (only the CSRF token)."""


class ShareForm(FlaskForm):
    shared = StringField(validators=[AnyOf(("yes", "no"), message=_l("Choose whether to share the plan."))])


class DeletePlanForm(FlaskForm):
    confirm = BooleanField(_l("Yes, discard this plan and everything in it"),
                           validators=[DataRequired(message=_l("Tick the box to confirm."))])


class SprintForm(FlaskForm):
    goal = TextAreaField(_l("Goal of this sprint"), validators=[
        DataRequired(message=_l("Please write a goal for this sprint.")), _at_most(GOAL_MAX)])
    starts_on = PlanDateField(_l("Starts on"), validators=[InputRequired(message=_l("Please enter a date."))])
    ends_on = PlanDateField(_l("Ends on"), validators=[InputRequired(message=_l("Please enter a date."))])
    indicator = TextAreaField(_l("How will we notice it?"), validators=[Optional(), _at_most(INDICATOR_MAX)])
    cimo_context = TextAreaField(_l("Context: where, with whom, in what situation?"),
                                 validators=[Optional(), _at_most(CIMO_MAX)])
    cimo_intervention = TextAreaField(_l("Intervention: what do we do?"), validators=[Optional(), _at_most(CIMO_MAX)])
    cimo_mechanism = TextAreaField(_l("Mechanism: why should it work?"), validators=[Optional(), _at_most(CIMO_MAX)])
    cimo_outcome = TextAreaField(_l("Outcome: what do we expect to see?"), validators=[Optional(), _at_most(CIMO_MAX)])

    def __init__(self, *args, earliest: date, latest: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = earliest, latest

    def _in_range(self, field):
        if field.data is not None and not self.earliest <= field.data <= self.latest:
            raise ValidationError(_l("Choose a date between %(first)s and %(last)s.",
                                     first=format_date(self.earliest, "long"), last=format_date(self.latest, "long")))

    def validate_starts_on(self, field):
        self._in_range(field)

    def validate_ends_on(self, field):
        self._in_range(field)
        start = self.starts_on.data
        if start is None or field.data is None:
            return
        if field.data < start:
            raise ValidationError(_l("The end date cannot be before the start date."))
        if (field.data - start).days > MAX_SPRINT_DAYS:
            raise ValidationError(_l("A sprint can last at most a year."))


class ReviewForm(FlaskForm):
    happened = TextAreaField(_l("What happened?"), validators=[Optional(), _at_most(REVIEW_MAX)])
    learned = TextAreaField(_l("What did we learn?"), validators=[Optional(), _at_most(REVIEW_MAX)])
    decision = StringField(_l("Our decision"), filters=[_strip], validators=[
        Optional(), AnyOf(DECISIONS, message=_l("Choose one of the decisions."))])
    reason = TextAreaField(_l("Why this decision?"), validators=[Optional(), _at_most(REASON_MAX)])
    # value_<kind> (ticked) and example_<kind> for each of VALUE_KINDS, added below the class.

    def value(self) -> list[dict[str, str]]:
        """The value kinds the team ticked or gave an example of, with the example, in VALUE_KINDS order."""
        chosen = []
        for kind in VALUE_KINDS:
            example = (self[f"example_{kind}"].data or "").strip()
            if self[f"value_{kind}"].data or example:
                chosen.append({"kind": kind, "example": example})
        return chosen

    def show_value(self, value: list[dict]) -> None:
        for entry in value:
            if entry.get("kind") in VALUE_KINDS:
                self[f"value_{entry['kind']}"].data = True
                self[f"example_{entry['kind']}"].data = entry.get("example", "")


for _kind in VALUE_KINDS:
    setattr(ReviewForm, f"value_{_kind}", BooleanField())
    setattr(ReviewForm, f"example_{_kind}", TextAreaField(validators=[Optional(), _at_most(VALUE_MAX)]))


class ActionForm(FlaskForm):
    """Add an action: a library action (``action_id``) or the team's own (``own_text``), not both."""

    action_id = StringField(_l("An action from the library"), filters=[_strip],
                            validators=[Optional(), Length(max=40)])
    own_text = TextAreaField(_l("Or write your own action"), validators=[Optional(), _at_most(OWN_TEXT_MAX)])
    owner = StringField(_l("Who takes it up?"), validators=[Optional(), _at_most(OWNER_MAX)])

    def validate_action_id(self, field):
        if field.data and field.data not in load_library():
            raise ValidationError(_l("This action is not in the library."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen, written = bool(self.action_id.data), bool((self.own_text.data or "").strip())
        if chosen and written:
            self.own_text.errors.append(_l("Choose an action from the library or write your own, not both."))
            return False
        if not chosen and not written and not self.action_id.errors and not self.own_text.errors:
            self.action_id.errors.append(_l("Choose an action from the library or write your own."))
            return False
        return valid


class EditActionForm(FlaskForm):
    own_text = TextAreaField(_l("Action"), validators=[Optional(), _at_most(OWN_TEXT_MAX)])
    owner = StringField(_l("Who takes it up?"), validators=[Optional(), _at_most(OWNER_MAX)])
    sprint = SprintNumberField(_l("Sprint"), validators=[InputRequired(message=_l("Choose a sprint."))])

    def __init__(self, *args, sprint_numbers: list[int], own: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.sprint_numbers, self.own = sprint_numbers, own

    def validate_sprint(self, field):
        if field.data not in self.sprint_numbers:
            raise ValidationError(_l("Choose one of the sprints of this plan."))

    def validate_own_text(self, field):
        if self.own and not (field.data or "").strip():
            raise ValidationError(_l("Please describe the action."))


class MoveForm(FlaskForm):
    direction = StringField(validators=[AnyOf(("up", "down"), message=_l("Choose up or down."))])
    position = IntegerField(validators=[InputRequired(message=_l("Choose up or down."))])


class FocusForm(FlaskForm):
    elements = SelectMultipleField(_l("Focus points"), validate_choice=False)

    def __init__(self, *args, allowed: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def validate_elements(self, field):
        if any(e not in self.allowed for e in field.data or []):
            raise ValidationError(_l("Choose focus points from the list."))
        if len(set(field.data or [])) > MAX_FOCUS:
            raise ValidationError(_l("Choose at most %(n)s focus points.", n=MAX_FOCUS))
