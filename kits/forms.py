"""Forms of the kits app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotFormMixin
from kits.models import Audience, OneToOneRequest, SessionFeedback, Theme


class RecapFilterForm(forms.Form):
    """Filters of the recap table on the kit index."""

    audience = forms.ChoiceField(
        label=_("Public"), required=False, choices=[("", _("Tous les publics")), *Audience.choices]
    )
    theme = forms.ChoiceField(
        label=_("Thème"), required=False, choices=[("", _("Tous les thèmes")), *Theme.choices]
    )


class FeedbackForm(forms.ModelForm):
    class Meta:
        model = SessionFeedback
        fields = ["rating", "useful", "improve"]
        widgets = {"rating": forms.RadioSelect, "useful": forms.Textarea(attrs={"rows": 4}),
                   "improve": forms.Textarea(attrs={"rows": 4})}  # fmt: skip


class OneToOneRequestForm(HoneypotFormMixin, forms.ModelForm):
    class Meta:
        model = OneToOneRequest
        fields = ["topic", "source", "message", "availability"]
        widgets = {"topic": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "source": _(
                "Qualité des données : la source dont vous parlez, si vous le voulez. L'équipe lit votre "
                "demande ; les mainteneur·euses de la source choisie aussi."
            ),
            "message": _("Où en êtes-vous, et qu'aimeriez-vous savoir faire après l'échange ?"),
            "availability": _("Par exemple : les mardis après-midi, en visio."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        field.queryset = field.queryset.filter(is_active=True).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("topic") != OneToOneRequest.Topic.DATA_QUALITY:
            cleaned["source"] = None  # only data-quality requests go to a source's maintainers
        return cleaned


class FollowUpForm(forms.Form):
    status = forms.ChoiceField(label=_("Statut"), choices=OneToOneRequest.Status.choices)
    note = forms.CharField(label=_("Note de suivi (visible par l'équipe seulement)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip
    take = forms.BooleanField(label=_("Je prends en charge cette demande"), required=False)
