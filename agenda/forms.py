"""Forms of the agenda: the public filters, proposing an event, and moderators' feed settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotFormMixin
from core.territories import DEPARTEMENTS, REGIONS, departement_of

from . import selectors


def territory_choices():
    regions = [(f"R{code}", name) for code, name in sorted(REGIONS.items(), key=lambda item: item[1])]
    departements = [(code, f"{code} — {name}") for code, (name, _region) in DEPARTEMENTS.items()]
    return [
        ("", _("Toute la France")),
        (_("Régions"), regions),
        (_("Départements"), departements),
    ]


class EventFilterForm(forms.Form):
    """GET filters shared by the list, the month view, the ICS/RSS outputs and the widget."""

    q = forms.CharField(label=_("Mots-clés"), required=False, max_length=100)
    territoire = forms.ChoiceField(label=_("Territoire"), required=False)
    categorie = forms.ChoiceField(label=_("Catégorie"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    du = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    au = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].choices = territory_choices()
        self.fields["categorie"].choices = [("", _("Toutes"))] + selectors.category_choices()
        self.fields["source"].choices = [("", _("Toutes"))] + selectors.source_choices()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("du") and cleaned.get("au") and cleaned["au"] < cleaned["du"]:
            self.add_error("au", _("La date de fin doit suivre la date de début."))
        return cleaned

    def filters(self) -> dict:
        """Keyword arguments for `selectors.filter_events`; invalid values are simply not applied."""
        data = {}
        if self.is_bound:
            self.is_valid()  # an invalid form keeps only its valid fields in cleaned_data: those still filter
            data = self.cleaned_data
        return {
            "text": data.get("q") or "",
            "territory": data.get("territoire") or "",
            "category": data.get("categorie") or "",
            "source": data.get("source") or "",
            "date_from": data.get("du"),
            "date_to": data.get("au"),
        }


class ProposeEventForm(HoneypotFormMixin, forms.Form):
    title = forms.CharField(label=_("Titre de l'événement"), max_length=200)
    start_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Heure de début"),
        required=False,
        help_text=_("Laissez vide pour un événement sur toute la journée."),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    end_date = forms.DateField(
        label=_("Date de fin"),
        required=False,
        help_text=_("Pour un événement sur plusieurs jours."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end_time = forms.TimeField(
        label=_("Heure de fin"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    location = forms.CharField(label=_("Lieu (adresse avec code postal)"), max_length=300)
    departement = forms.CharField(
        label=_("Département ou code postal"), max_length=5, help_text=_("Par exemple 30 ou 30000.")
    )
    url = forms.URLField(label=_("Page web de l'événement"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Texte simple ; la mise en forme Markdown est acceptée."),
    )
    submitter_name = forms.CharField(label=_("Votre nom"), max_length=200)
    submitter_email = forms.EmailField(
        label=_("Votre e-mail"), help_text=_("Pour vous joindre si besoin ; il n'est pas publié.")
    )

    def clean_departement(self):
        value = self.cleaned_data["departement"]
        if not departement_of(value):
            raise forms.ValidationError(_("Ce n'est ni un numéro de département ni un code postal français."))
        return value

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        if cleaned.get("end_time") and not cleaned.get("start_time"):
            self.add_error("start_time", _("Indiquez l'heure de début si vous donnez une heure de fin."))
        return cleaned
