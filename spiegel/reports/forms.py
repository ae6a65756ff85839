"""The round batch form: which language to print in (default: each team's own), and whether each mirror
comes with the appendix of results per statement (the coach's choice; not part of the mirror by default)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice

LANGUAGE_CHOICES = [SelectChoice("", _l("Each team's language")), SelectChoice("nl", "Nederlands"),
                    SelectChoice("en", "English"), SelectChoice("fr", "Français")]


class BatchForm(FlaskForm):
    lang = SelectField(_l("Language of the reports"), choices=LANGUAGE_CHOICES, default="")
    items = BooleanField(_l("With the results per statement (appendix)"), default=False)
