"""Forms of the team conversation (the markup is plain Jinja; WTForms validates)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from spiegel.plans.models import NOTE_MAX
from spiegel.survey.forms import ChoiceForm
from spiegel.survey.votes import MAX_CANDIDATES, MIN_CANDIDATES


class NoteForm(FlaskForm):
    text = TextAreaField(_l("What lies behind this, in our words?"), validators=[
        Length(max=NOTE_MAX, message=_l("Please keep this to at most %(max)s characters.", max=NOTE_MAX))])


def focus_form(allowed: list[str]) -> ChoiceForm:
    return ChoiceForm(allowed=allowed, least=1, most=3)


def vote_open_form(allowed: list[str]) -> ChoiceForm:
    return ChoiceForm(allowed=allowed, least=MIN_CANDIDATES, most=MAX_CANDIDATES)
