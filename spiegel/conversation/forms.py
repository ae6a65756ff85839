"""Forms of the team conversation (the markup is plain Jinja; WTForms validates)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, TextAreaField
from wtforms.validators import Length, ValidationError

from spiegel.conversation.models import VOTES_PER_PERSON
from spiegel.conversation.votes import MAX_CANDIDATES, MIN_CANDIDATES
from spiegel.plans.models import NOTE_MAX


class NoteForm(FlaskForm):
    text = TextAreaField(_l("What lies behind this, in our words?"), validators=[
        Length(max=NOTE_MAX, message=_l("Please keep this to at most %(max)s characters.", max=NOTE_MAX))])


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


def focus_form(allowed: list[str]) -> ChoiceForm:
    return ChoiceForm(allowed=allowed, least=1, most=3)


def vote_open_form(allowed: list[str]) -> ChoiceForm:
    return ChoiceForm(allowed=allowed, least=MIN_CANDIDATES, most=MAX_CANDIDATES)


def ballot_form(allowed: list[str]) -> ChoiceForm:
    return ChoiceForm(allowed=allowed, least=1, most=VOTES_PER_PERSON)
