from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.lockout import account_for_identifier
from accounts.mixins import BootstrapFormMixin
from accounts.services import EMAIL_MAX_LENGTH


class PortalAuthenticationForm(BootstrapFormMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("Username or email"),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean(self):
        try:
            return super().clean()
        except ValidationError as error:
            # Someone who signed up but never verified their address learns why, once they give the right password.
            if error.code == "invalid_login" and self._awaits_verification():
                raise ValidationError(
                    format_html(
                        '{} <a href="{}">{}</a>',
                        _("Please confirm your email address first: open the link we mailed you."),
                        reverse("accounts:resend_verification"),
                        _("Send the link again"),
                    ),
                    code="unverified",
                ) from error
            raise

    def _awaits_verification(self) -> bool:
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return False
        user = account_for_identifier(username)
        return user is not None and user.awaits_email_verification and user.check_password(password)


class SignUpForm(BootstrapFormMixin, forms.Form):
    """Shapes only: the service (accounts.services.user_sign_up) checks the address, the phone and the password."""

    name = forms.CharField(label=_("Your name"), max_length=60)
    email = forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("We mail you a link to confirm it. You sign in with this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_confirm") and data["password"] != data["password_confirm"]:
            self.add_error("password_confirm", _("The two passwords differ."))
        return data


class ResendVerificationForm(BootstrapFormMixin, forms.Form):
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
