"""Forms of the account area. The signup form adds the few fields the portal needs to allauth's own."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.territories import validate_territory_code

# Why each optional piece of personal data is asked (RGPD: minimal data, purpose stated at collection).
WHY_DISPLAY_NAME = _(
    "Pour que les autres membres sachent qui écrit : il apparaît à côté de vos contributions."
)
WHY_ORGANISATION = _(
    "Facultatif. Pour situer votre structure quand vous maintenez une source ou accompagnez un collectif."
)
WHY_TERRITORY = _(
    "Facultatif. Code de commune, code postal ou numéro de département : pour vous proposer les "
    "événements et les personnes près de chez vous. Jamais affiché plus précisément que le département."
)
WHY_LANGUAGE = _("La langue des pages après connexion et des e-mails que nous vous envoyons.")


class ProfileFieldsMixin(forms.Form):
    display_name = forms.CharField(label=_("Nom affiché"), max_length=150, help_text=WHY_DISPLAY_NAME)
    organisation = forms.CharField(
        label=_("Organisation"), max_length=200, required=False, help_text=WHY_ORGANISATION
    )
    territory = forms.CharField(
        label=_("Territoire"),
        max_length=5,
        required=False,
        help_text=WHY_TERRITORY,
        validators=[validate_territory_code],
    )
    preferred_language = forms.ChoiceField(
        label=_("Langue préférée"), choices=settings.LANGUAGES, initial="fr", help_text=WHY_LANGUAGE
    )

    def clean_territory(self):
        return (self.cleaned_data.get("territory") or "").strip().upper()


class SignupForm(ProfileFieldsMixin):
    """Extra fields of allauth's signup form (ACCOUNT_SIGNUP_FORM_CLASS); the adapter stores them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils import translation

        self.fields["preferred_language"].initial = translation.get_language() or settings.LANGUAGE_CODE

    def signup(self, request, user):
        """Called by allauth after the user is saved; the adapter already set the fields."""


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "organisation", "territory", "preferred_language"]


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Pour être sûr·e que c'est bien vous qui supprimez ce compte."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce mot de passe n'est pas le bon."), code="wrong_password")
        return password
