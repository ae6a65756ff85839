"""Forms for boards, schools and teams."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

NAME_MAX = 200


def _name_field(label):
    return StringField(label, validators=[DataRequired(message=_l("Please type a name.")),
                                          Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.",
                                                                          max=NAME_MAX))])


class NameForm(FlaskForm):
    """Create or rename a board, school or team."""

    name = _name_field(_l("Name"))


class MembersForm(FlaskForm):
    """A team's declared number of members: more responses than this are flagged."""

    members = IntegerField(_l("Number of members"), validators=[
        Optional(), NumberRange(1, 500, message=_l("Choose between %(min)d and %(max)d.", min=1, max=500))])


class TeamsForm(FlaskForm):
    """New teams for a school: one name per line."""

    names = TextAreaField(_l("Team names, one per line"),
                          validators=[DataRequired(message=_l("Please type at least one team name."))])

    def validate_names(self, field):
        names = self.cleaned()
        if not names:
            raise ValidationError(_l("Please type at least one team name."))
        if len(names) > 100:
            raise ValidationError(_l("Add at most 100 teams at a time."))
        if any(len(n) > NAME_MAX for n in names):
            raise ValidationError(_l("Use at most %(max)d characters.", max=NAME_MAX))
        if len({n.lower() for n in names}) != len(names):
            raise ValidationError(_l("A team name appears twice."))

    def cleaned(self) -> list[str]:
        return [" ".join(line.split()) for line in (self.names.data or "").splitlines() if line.strip()]
