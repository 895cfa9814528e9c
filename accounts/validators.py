from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with a message that has its Chinese translation: Django 5.2 changed the msgid (to "%d") and its
    Chinese catalogue still translates the old one, so the sign-up and password pages showed it in English."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class CharacterClassValidator:
    """Passwords mix at least three of: lower-case letters, upper-case letters, digits, symbols (等保 2.0)."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(count)d of: lower-case letters, upper-case letters, "
                    "digits and symbols."
                )
                % {"count": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least %(count)d of: lower-case letters, upper-case letters, digits and symbols."
        ) % {"count": self.min_classes}


# Mainland numbers: a mobile (11 digits from 13x to 19x) or a landline with its area code (010-12345678, 0533-7123456).
MOBILE = r"1[3-9]\d{9}"
LANDLINE = r"0\d{2,3}-?\d{7,8}(-\d{1,6})?"

validate_mainland_mobile = RegexValidator(
    rf"^{MOBILE}$",
    gettext_lazy("Enter a mainland mobile number of 11 digits, such as 13812345678."),
    code="invalid_mobile",
)
validate_mainland_phone = RegexValidator(
    rf"^({MOBILE}|{LANDLINE})$",
    gettext_lazy("Enter a mobile number (13812345678) or a landline with its area code (0533-7123456)."),
    code="invalid_phone",
)
