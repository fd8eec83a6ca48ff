"""Forms of the support app: the public request form, the secret-link pages and the team's screens."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core import territories
from core.forms import HoneypotFormMixin, SubmitOnceFormMixin
from support import conf
from support.models import CannedAnswer, Partner, SupportRequest, Theme


class ErrorsDescribedMixin:
    """Tie each field's error list to its widget (aria-describedby, next to the help text)."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            auto_id = self[name].auto_id
            widget = self.fields[name].widget
            ids = [f"{auto_id}_error"]  # the id components/form_field.html gives the error list
            if self.fields[name].help_text:
                ids.insert(0, f"{auto_id}_helptext")
            if widget.attrs.get("data-describedby"):
                ids.insert(0, widget.attrs["data-describedby"])
            widget.attrs["aria-describedby"] = " ".join(ids)


class SupportRequestForm(ErrorsDescribedMixin, HoneypotFormMixin, SubmitOnceFormMixin, forms.Form):
    collective = forms.CharField(label=_("Nom du collectif"), max_length=200)
    contact_name = forms.CharField(label=_("Personne de contact"), max_length=150)
    contact_email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Nous y envoyons le lien de suivi de votre demande."),
    )
    commune = forms.CharField(label=_("Commune"), max_length=150, required=False)
    territory_code = forms.CharField(
        label=_("Code postal ou code INSEE de la commune"),
        max_length=5,
        help_text=_("Ou le numéro du département (ex. 30, 2A, 974)."),
    )
    theme = forms.ChoiceField(label=_("Votre besoin porte sur"), choices=[("", "—"), *Theme.choices])
    description = forms.CharField(
        label=_("Décrivez votre besoin"),
        widget=forms.Textarea(attrs={"rows": 8}),
        min_length=20,
        max_length=5000,
        help_text=_("Votre projet, où vous en êtes, ce qui vous aiderait. Au moins 20 caractères."),
    )
    consent = forms.BooleanField(
        label=_("J'accepte que mes données soient utilisées comme expliqué ci-dessus."),
        widget=forms.CheckboxInput(
            attrs={"aria-describedby": "consent-text", "data-describedby": "consent-text"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.retention_days = conf.retention_days()

    def clean_territory_code(self):
        code = self.cleaned_data["territory_code"].strip().upper()
        territories.validate_territory_code(code)
        return code


class RequesterMessageForm(ErrorsDescribedMixin, forms.Form):
    body = forms.CharField(
        label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class PartnerReplyForm(ErrorsDescribedMixin, forms.Form):
    body = forms.CharField(
        label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class PartnerDeclineForm(ErrorsDescribedMixin, forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi déclinez-vous ?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Quelques mots aident l'équipe à trouver le bon partenaire."),
    )


# ---------------------------------------------------------------------------------------------------------
# Team screens


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[("open", _("Ouvertes")), ("", _("Toutes")), *SupportRequest.Status.choices],
    )
    theme = forms.ChoiceField(label=_("Thème"), required=False, choices=[("", _("Tous")), *Theme.choices])
    mine = forms.ChoiceField(
        label=_("Suivi"),
        required=False,
        choices=[("", _("Toutes")), ("me", _("Les miennes")), ("none", _("Sans personne"))],
    )
    q = forms.CharField(label=_("Recherche"), required=False, max_length=100)


class TriageForm(ErrorsDescribedMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[
            choice for choice in SupportRequest.Status.choices if choice[0] != SupportRequest.Status.FORWARDED
        ],
    )
    assigned_to = forms.ModelChoiceField(label=_("Suivie par"), queryset=None, required=False)
    theme = forms.ChoiceField(label=_("Thème"), choices=Theme.choices)

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = team
        if self.initial.get("status") == SupportRequest.Status.FORWARDED:
            self.fields["status"].choices = SupportRequest.Status.choices


class TeamMessageForm(ErrorsDescribedMixin, forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10000)
    internal = forms.BooleanField(
        label=_("Note interne (visible de l'équipe seulement)"), required=False, initial=False
    )
    to_partner = forms.BooleanField(
        label=_("Écrire seulement au partenaire sollicité (avant son acceptation)"), required=False
    )
    canned_answer = forms.ModelChoiceField(
        queryset=CannedAnswer.objects.all(), required=False, widget=forms.HiddenInput
    )
    faq_entry = forms.IntegerField(required=False, widget=forms.HiddenInput)
    faq_question = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)


class ForwardForm(ErrorsDescribedMixin, forms.Form):
    partner = forms.ModelChoiceField(label=_("Partenaire"), queryset=Partner.objects.none())
    message = forms.CharField(
        label=_("Texte transmis au partenaire"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Relisez et retirez ce qui n'a pas à être partagé. Les coordonnées de la personne ne sont "
            "communiquées qu'après acceptation."
        ),
    )

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners


class MergeForm(ErrorsDescribedMixin, forms.Form):
    into = forms.CharField(
        label=_("Référence de la demande à garder"), max_length=20, help_text=_("Par exemple ACC-00012.")
    )


class CannedAnswerForm(ErrorsDescribedMixin, forms.ModelForm):
    class Meta:
        model = CannedAnswer
        fields = ["title", "body", "is_active"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}


def _language_choices():
    return [*settings.LANGUAGES, ("es", "Español"), ("de", "Deutsch"), ("it", "Italiano"), ("oc", "Occitan")]


class PartnerForm(ErrorsDescribedMixin, forms.ModelForm):
    themes = forms.MultipleChoiceField(
        label=_("Compétences"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    departements = forms.MultipleChoiceField(
        label=_("Départements couverts"),
        choices=territories.departement_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    regions = forms.MultipleChoiceField(
        label=_("Régions couvertes"),
        choices=territories.region_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Langues"), choices=_language_choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Partner
        fields = [
            "organisation",
            "description",
            "website",
            "themes",
            "coverage",
            "departements",
            "regions",
            "languages",
            "contact_name",
            "contact_email",
            "contact_phone",
            "capacity",
            "is_active",
            "in_directory",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("coverage") == Partner.Coverage.LOCAL
            and not cleaned.get("departements")
            and not cleaned.get("regions")
        ):
            self.add_error(
                "regions", _("Choisissez au moins un département ou une région, ou « Toute la France ».")
            )
        return cleaned


class DirectoryFilterForm(forms.Form):
    theme = forms.ChoiceField(
        label=_("Compétence"), required=False, choices=[("", _("Toutes")), *Theme.choices]
    )
    region = forms.ChoiceField(
        label=_("Région"), required=False, choices=lambda: [("", _("Toutes")), *territories.region_choices()]
    )
