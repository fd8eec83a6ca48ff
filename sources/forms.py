"""Forms of the sources app."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotFormMixin
from sources.models import AlertPreference, Report, Source, SourceElement

GOGO_ID_IN_URL = re.compile(r"/fiche/[^/]+/([A-Za-z0-9]+)/?")


class ReportForm(HoneypotFormMixin, forms.Form):
    """The portal's public report form, with GoGoCarto's four reasons."""

    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.filter(is_active=True),
        required=False,
        empty_label=_("Je ne sais pas"),
        help_text=_("Laissez « Je ne sais pas » si vous donnez l'identifiant de l'alternative."),
    )
    element = forms.CharField(
        label=_("Identifiant de l'alternative ou son adresse sur la carte"),
        max_length=1000,
        help_text=_("Par exemple https://transiscope.gogocarto.fr/annuaire#/fiche/la-cagette/A1b2/"),
    )
    reason = forms.TypedChoiceField(
        label=_("Motif"), choices=Report.Reason.choices, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Commentaire"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )
    email = forms.EmailField(
        label=_("Votre e-mail (facultatif)"),
        required=False,
        help_text=_("Seulement pour vous dire ce qu'il est advenu de votre signalement."),
    )

    def clean(self):
        cleaned = super().clean()
        element = (cleaned.get("element") or "").strip()
        source = cleaned.get("source")
        cleaned["element_id"], cleaned["gogo_id"], cleaned["url"] = "", "", ""
        if element.startswith(("http://", "https://")):
            cleaned["url"] = element
            match = GOGO_ID_IN_URL.search(element)
            cleaned["gogo_id"] = match.group(1) if match else ""
        else:
            cleaned["element_id"] = element
        if source is None and element:
            if not cleaned["element_id"]:
                self.add_error(
                    "source", _("Choisissez la source : une adresse de carte ne suffit pas à la trouver.")
                )
            else:
                sources = list(
                    SourceElement.objects.filter(element_id=cleaned["element_id"], source__is_active=True)
                    .values_list("source_id", flat=True)
                    .distinct()[:2]
                )
                if len(sources) != 1:
                    self.add_error(
                        "source", _("Nous ne trouvons pas cette alternative seule : choisissez la source.")
                    )
                else:
                    cleaned["source"] = Source.objects.get(pk=sources[0])
        return cleaned


class ReportStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=Report.Status.choices)
    message = forms.CharField(
        label=_("Message de résolution"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class AlertPreferenceForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Recevoir les alertes"), choices=AlertPreference.Mode.choices, widget=forms.RadioSelect
    )
