"""Forms for rounds: the round itself, reopening it, confirming its deletion.

Dates are whole days in the installation's time zone (Flask-Babel's BABEL_DEFAULT_TIMEZONE): a round
opens at the start of its opening day and closes at the end of its closing day.
"""
from datetime import date, datetime, time

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone, to_utc
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from spiegel.rounds.services import SPRINT_COUNT, SPRINT_WEEKS, module_choices
from spiegel.shared.clock import utcnow
from spiegel.shared.i18n import LANGUAGE_NAMES, localized

# Each language named in itself: a French-speaking leader finds "Français" in a Dutch page.


def start_of_day(day: date) -> datetime:
    return to_utc(datetime.combine(day, time.min))


def end_of_day(day: date) -> datetime:
    return to_utc(datetime.combine(day, time(23, 59, 59)))


def local_day(moment: datetime) -> date:
    return to_user_timezone(moment).date()


def _module_label(module) -> str:
    """A module's name with its length, so whoever creates a round sees what an optional module adds."""
    count = len(list(module.items()))
    if module.optional:
        return _("%(name)s (optional, %(n)d statements)", name=localized(module.name), n=count)
    return _("%(name)s (%(n)d statements)", name=localized(module.name), n=count)


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _required_date(label):
    return DateField(label, validators=[DataRequired(message=_l("Please choose a date."))])


class RoundForm(FlaskForm):
    name = StringField(_l("Name of the round"), validators=[
        DataRequired(message=_l("Please type a name.")), Length(max=200)])
    innovation_name = StringField(_l("Innovation"), validators=[
        DataRequired(message=_l("Please name the innovation this round is about.")), Length(max=200)])
    innovation_description = TextAreaField(_l("Short description of the innovation"),
                                           validators=[Optional(), Length(max=2000)])
    opens_on = _required_date(_l("Opens on"))
    closes_on = _required_date(_l("Closes at the end of"))
    default_language = SelectField(_l("Default language"))
    access = RadioField(_l("How colleagues get in"), default="team", choices=[
        SelectChoice("team", _l("One code per team, on a poster: quick, but whoever holds the code can add responses")),
        SelectChoice("personal", _l("Personal slips: single-use anonymous codes printed per team; no one can answer "
                                    "without one"))])
    modules = CheckboxListField(_l("Modules"))
    teams = CheckboxListField(_l("Teams taking part"), coerce=int)
    sprint_count = IntegerField(_l("Sprints in the improvement plan"), default=3, validators=[
        DataRequired(message=_l("Please type a number.")),
        NumberRange(*SPRINT_COUNT, message=_l("Choose between %(min)d and %(max)d.",
                                              min=SPRINT_COUNT[0], max=SPRINT_COUNT[1]))])
    sprint_weeks = IntegerField(_l("Weeks per sprint"), default=6, validators=[
        DataRequired(message=_l("Please type a number.")),
        NumberRange(*SPRINT_WEEKS, message=_l("Choose between %(min)d and %(max)d.",
                                              min=SPRINT_WEEKS[0], max=SPRINT_WEEKS[1]))])

    def __init__(self, teams, *args, new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.new = new
        self.default_language.choices = [SelectChoice(code, LANGUAGE_NAMES.get(code, code))
                                         for code in current_app.config["LANGUAGES"]]
        self.modules.choices = [SelectChoice(m.id, _module_label(m)) for m in module_choices()]
        self.teams.choices = [SelectChoice(t.id, t.name) for t in teams]

    def validate_modules(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one module."))

    def validate_teams(self, field):
        if not field.data:
            raise ValidationError(_l("Choose at least one team."))

    def validate_closes_on(self, field):
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The round cannot close before it opens."))
        if field.data and self.new and end_of_day(field.data) <= utcnow():
            raise ValidationError(_l("The closing date has already passed."))

    def window(self) -> tuple[datetime, datetime]:
        return start_of_day(self.opens_on.data), end_of_day(self.closes_on.data)

    def fill_from(self, round_) -> None:
        """Prefill from a round (GET of the edit page)."""
        self.name.data = round_.name
        self.innovation_name.data = round_.innovation_name
        self.innovation_description.data = round_.innovation_description
        self.opens_on.data = local_day(round_.opens_at)
        self.closes_on.data = local_day(round_.closes_at)
        self.default_language.data = round_.default_language
        self.access.data = round_.access
        self.modules.data = list(round_.modules)
        self.teams.data = [rt.team_id for rt in round_.round_teams]
        self.sprint_count.data = round_.sprint_count
        self.sprint_weeks.data = round_.sprint_weeks


class SlipsForm(FlaskForm):
    count = IntegerField(_l("Number of slips"), validators=[
        DataRequired(message=_l("Please type a number.")),
        NumberRange(1, 200, message=_l("Choose between %(min)d and %(max)d.", min=1, max=200))])


class ReopenForm(FlaskForm):
    closes_on = _required_date(_l("Open until the end of"))

    def validate_closes_on(self, field):
        if field.data and end_of_day(field.data) <= utcnow():
            raise ValidationError(_l("Choose a date from today on."))
