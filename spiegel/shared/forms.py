"""Forms several features use."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, ValidationError


class ConfirmDeleteForm(FlaskForm):
    """Deleting for good: the person types the name of what goes."""

    confirm = StringField(_l("Type the name to confirm"),
                          validators=[DataRequired(message=_l("Type the name to confirm."))])

    def __init__(self, expected: str, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.expected = expected

    def validate_confirm(self, field):
        if " ".join((field.data or "").split()).casefold() != " ".join(self.expected.split()).casefold():
            raise ValidationError(_l("The name you typed does not match."))

