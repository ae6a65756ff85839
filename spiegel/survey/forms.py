from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from spiegel.survey.models import ROLES, VOTES_PER_PERSON

# Named with examples so a care coordinator, an intern begeleider or a coach knows where they belong
# (issue 17): "support staff" read as a formal staff category in Flanders.
ROLE_LABELS = {
    "teacher": _l("Teacher"),
    "leader": _l("School leadership or middle management, e.g. head, deputy head or team leader"),
    "support": _l("Support role, e.g. pupil care coordinator, special needs coordinator or coach"),
    "other": _l("Other role, e.g. administration or ICT"),
}


class JoinForm(FlaskForm):
    code = StringField(_l("Team code"), validators=[DataRequired(message=_l("Please type your team code.")),
                                                    Length(max=40)])


class StartForm(FlaskForm):
    role = RadioField(_l("My role in this team"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES],
                      validators=[DataRequired(message=_l("Please choose your role."))])
    # Only in a personal-code round (see survey.start): the code on the person's slip.
    slip = StringField(_l("The code on your slip"), validators=[Optional(), Length(max=40)])


class ResumeForm(FlaskForm):
    resume_code = StringField(_l("Resume code"),
                              validators=[DataRequired(message=_l("Please type your resume code.")),
                                          Length(max=40)])


class ChoiceForm(FlaskForm):
    """Some of the offered elements, between ``least`` and ``most`` of them."""

    elements = SelectMultipleField(validate_choice=False)

    def __init__(self, *args, allowed: list[str], least: int, most: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed, self.least, self.most = allowed, least, most

    def validate_elements(self, field):
        chosen = set(field.data or [])
        if any(e not in self.allowed for e in chosen):
            raise ValidationError(_l("Choose from the list."))
        if not self.least <= len(chosen) <= self.most:
            raise ValidationError(_l("Choose between %(least)s and %(most)s.", least=self.least, most=self.most))


def ballot_form(allowed: list[str]) -> ChoiceForm:
    """A colleague's votes in the team conversation's focus vote (spiegel.survey.votes)."""
    return ChoiceForm(allowed=allowed, least=1, most=VOTES_PER_PERSON)
