from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

MIN_PASSWORD = 10

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "school_leader": _l("School leader"),
    "coach": _l("Coach"),
    "facilitator": _l("Team facilitator"),
    "board": _l("Board staff (schools side by side)"),
}


def _new_password(label):
    return PasswordField(label, validators=[
        DataRequired(message=_l("Please type a password.")),
        Length(min=MIN_PASSWORD, max=200, message=_l("Use at least %(min)d characters.", min=MIN_PASSWORD)),
    ])


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(message=_l("Please type your e-mail address.")),
                                                 Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Please type your password.")),
                                                         Length(max=200)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password = _new_password(_l("New password"))
    confirm = PasswordField(_l("New password again"), validators=[
        EqualTo("password", message=_l("The two passwords differ."))])


class PasswordResetForm(FlaskForm):
    password = _new_password(_l("New password"))
    confirm = PasswordField(_l("New password again"), validators=[
        EqualTo("password", message=_l("The two passwords differ."))])


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[
        DataRequired(message=_l("Please type an e-mail address.")), Length(max=254),
        Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("This is not a valid e-mail address."))])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=200)])


class MembershipForm(FlaskForm):
    """A role with its scope: administrators need none, school leaders a school, facilitators a team,
    coaches a school or a team, board staff a board."""

    role = SelectField(_l("Role"), choices=[SelectChoice(r, label) for r, label in ROLE_LABELS.items()],
                       validators=[DataRequired()])
    school_id = SelectField(_l("School"), coerce=int, validators=[Optional()])
    team_id = SelectField(_l("Team"), coerce=int, validators=[Optional()])
    board_id = SelectField(_l("Board"), coerce=int, validators=[Optional()])

    def validate_board_id(self, field):
        if self.role.data == "board" and not field.data:
            raise ValidationError(_l("Board staff need a board."))

    def validate_school_id(self, field):
        if self.role.data == "school_leader" and not field.data:
            raise ValidationError(_l("A school leader needs a school."))

    def validate_team_id(self, field):
        if self.role.data == "facilitator" and not field.data:
            raise ValidationError(_l("A team facilitator needs a team."))
        if self.role.data == "coach" and not field.data and not self.school_id.data:
            raise ValidationError(_l("A coach needs a school or a team."))
