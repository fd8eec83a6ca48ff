"""Form pieces shared by every public form."""

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _


class HoneypotFormMixin(forms.Form):
    """A field that people never see and robots fill in. A filled honeypot fails the form."""

    honeypot_field_name = "site_web_entreprise"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.honeypot_field_name] = forms.CharField(
            required=False,
            label=_("Ne pas remplir ce champ"),
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(self.honeypot_field_name):
            raise forms.ValidationError(
                _("Votre envoi ressemble à celui d'un robot. Si ce n'est pas le cas, écrivez-nous."),
                code="honeypot",
            )
        return cleaned

    def honeypot_bound_field(self):
        return self[self.honeypot_field_name]

    def visible_fields_without_honeypot(self):
        return [field for field in self.visible_fields() if field.name != self.honeypot_field_name]


class SubmitOnceFormMixin(forms.Form):
    """A hidden token, fresh each time the form is shown; `core.services.submission_claim` accepts it once."""

    submission_token_field_name = "jeton_envoi"  # noqa: S105  (a field name, not a secret)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.submission_token_field_name] = forms.CharField(
            required=False, max_length=64, widget=forms.HiddenInput, initial=secrets.token_urlsafe(24)
        )

    def submission_token_bound_field(self):
        return self[self.submission_token_field_name]

    @property
    def submission_token(self) -> str:
        return (self.cleaned_data or {}).get(self.submission_token_field_name) or ""
