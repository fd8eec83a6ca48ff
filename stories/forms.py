"""Public forms of the stories app."""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotFormMixin
from core.territories import validate_territory_code
from core.uploads import CheckedImageField

PHOTO_SLOTS = 3
INSTANCE_RE = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class SubmissionForm(HoneypotFormMixin, forms.Form):
    """A testimony: text, contact, territory, and up to three photos, each with credit and consent."""

    name = forms.CharField(label=_("Votre nom ou prénom"), max_length=150)
    email = forms.EmailField(
        label=_("Votre adresse e-mail"), help_text=_("Pour vous recontacter, jamais publiée.")
    )
    phone = forms.CharField(label=_("Téléphone (facultatif)"), max_length=30, required=False)
    territory = forms.CharField(
        label=_("Votre territoire"),
        max_length=5,
        validators=[validate_territory_code],
        help_text=_("Numéro de département (30), code postal ou code INSEE de votre commune."),
    )
    text = forms.CharField(label=_("Votre témoignage"), widget=forms.Textarea, max_length=10_000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, PHOTO_SLOTS + 1):
            self.fields[f"photo_{slot}"] = CheckedImageField(
                label=_("Photo %(number)s (facultative)") % {"number": slot},
                required=False,
                max_bytes=settings.STORIES_PHOTO_MAX_BYTES,
                help_text=_("PNG, JPEG, GIF ou WebP, %(size)s Mo au plus.")
                % {"size": settings.STORIES_PHOTO_MAX_BYTES // (1024 * 1024)},
            )
            self.fields[f"credit_{slot}"] = forms.CharField(
                label=_("Crédit de la photo %(number)s") % {"number": slot},
                max_length=150,
                required=False,
                help_text=_("Qui a pris la photo ?"),
            )
            self.fields[f"consent_{slot}"] = forms.BooleanField(
                label=_("J'accepte que la photo %(number)s soit publiée avec ce crédit") % {"number": slot},
                required=False,
            )
        # The honeypot comes last so it does not sit between the visible fields.
        self.fields[self.honeypot_field_name] = self.fields.pop(self.honeypot_field_name)

    def clean(self):
        cleaned = super().clean()
        for slot in range(1, PHOTO_SLOTS + 1):
            if cleaned.get(f"photo_{slot}") and not cleaned.get(f"credit_{slot}"):
                self.add_error(f"credit_{slot}", _("Indiquez qui a pris cette photo."))
        return cleaned

    def photos(self) -> list[tuple]:
        return [
            (
                self.cleaned_data[f"photo_{slot}"],
                self.cleaned_data[f"credit_{slot}"],
                self.cleaned_data[f"consent_{slot}"],
            )
            for slot in range(1, PHOTO_SLOTS + 1)
            if self.cleaned_data.get(f"photo_{slot}")
        ]

    def photo_slots(self):
        return [
            (self[f"photo_{slot}"], self[f"credit_{slot}"], self[f"consent_{slot}"])
            for slot in range(1, PHOTO_SLOTS + 1)
        ]


class MastodonShareForm(forms.Form):
    """Which Mastodon instance to share on: the portal then sends the person to that instance's share page."""

    instance = forms.CharField(
        label=_("Votre instance Mastodon"),
        max_length=253,
        help_text=_("Par exemple : mastodon.social, framapiaf.org"),
    )
    text = forms.CharField(widget=forms.HiddenInput, max_length=1000)

    def clean_instance(self):
        value = self.cleaned_data["instance"].strip().lower()
        value = value.removeprefix("https://").removeprefix("http://").split("/")[0].lstrip("@")
        if "@" in value:  # someone typed their handle, user@instance
            value = value.rsplit("@", 1)[1]
        if not INSTANCE_RE.match(value):
            raise forms.ValidationError(_("Indiquez le nom d'une instance, par exemple mastodon.social."))
        return value


class ApprovalForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Votre réponse"),
        choices=[("approve", _("J'approuve ce récit")), ("reject", _("Je demande des modifications"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire (obligatoire pour demander des modifications)"),
        widget=forms.Textarea,
        required=False,
        max_length=4000,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("comment", "").strip():
            self.add_error("comment", _("Dites-nous ce qu'il faut modifier."))
        return cleaned
