from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from spiegel.survey.models import ROLES

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
