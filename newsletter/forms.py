from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotFormMixin
from core.territories import departement_choices, region_choices
from newsletter.communes import commune_choices
from newsletter.models import Frequency, Subscriber, Topic


class SubscribeForm(HoneypotFormMixin, forms.Form):
    email = forms.EmailField(label=_("Votre adresse e-mail"))
    scope = forms.ChoiceField(
        label=_("Territoire suivi"), choices=Subscriber.Scope.choices, widget=forms.RadioSelect
    )
    departement = forms.ChoiceField(
        label=_("Département"), choices=[("", "—"), *departement_choices()], required=False
    )
    region = forms.ChoiceField(label=_("Région"), choices=[("", "—"), *region_choices()], required=False)
    commune = forms.ChoiceField(label=_("Commune"), choices=[("", "—"), *commune_choices()], required=False)
    radius_km = forms.IntegerField(
        label=_("Rayon (km)"), min_value=5, max_value=200, initial=30, required=False
    )
    topics = forms.MultipleChoiceField(
        label=_("Thèmes"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(Topic.values),
    )
    frequency = forms.ChoiceField(
        label=_("Fréquence"), choices=Frequency.choices, widget=forms.RadioSelect, initial=Frequency.MONTHLY
    )

    def clean(self):
        cleaned = super().clean()
        scope = cleaned.get("scope")
        field = {"departement": "departement", "region": "region", "radius": "commune"}.get(scope)
        if field and not cleaned.get(field):
            self.add_error(field, _("Choisissez votre territoire."))
        if scope == "radius" and not cleaned.get("radius_km"):
            self.add_error("radius_km", _("Indiquez un rayon."))
        if field:
            cleaned["territory_code"] = cleaned.get(field, "")
        return cleaned
