"""Forms of the community app. Public forms carry the honeypot; uploads are checked by their bytes."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

import filetype

from core.forms import HoneypotFormMixin, SubmitOnceFormMixin
from core.territories import departement_of, validate_territory_code
from core.uploads import check_image

from .models import AmbassadorExchange, AmbassadorProfile, Category, Subscription
from .models.ambassadors import LANGUAGES, THEMES, AmbassadorKind
from .models.groups import JoinRequest

ALLOWED_ATTACHMENT_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf"}


def max_attachment_size() -> int:
    return getattr(settings, "COMMUNITY_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)


def max_attachments() -> int:
    return getattr(settings, "COMMUNITY_ATTACHMENTS_PER_POST", 4)


def check_attachment(upload):
    """Accept images and PDFs only, recognised by their first bytes (not by name or declared type)."""
    if upload.size > max_attachment_size():
        raise forms.ValidationError(
            _("« %(name)s » dépasse la taille permise (%(max)s Mo)."),
            params={"name": upload.name, "max": max_attachment_size() // (1024 * 1024)},
            code="too_big",
        )
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_ATTACHMENT_TYPES:
        raise forms.ValidationError(
            _("« %(name)s » n'est ni une image (PNG, JPEG, GIF, WebP) ni un PDF."),
            params={"name": upload.name},
            code="bad_type",
        )
    if kind.mime.startswith("image/"):
        # Dimensions from the header, before anything decodes the pixels (a tiny PNG can be 144 megapixels).
        check_image(upload, max_bytes=max_attachment_size())
    upload.checked_content_type = kind.mime
    return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = "image/png,image/jpeg,image/gif,image/webp,application/pdf"

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > max_attachments():
            raise forms.ValidationError(
                _("Au plus %(n)s pièces jointes par message."), params={"n": max_attachments()}
            )
        return [check_attachment(super(AttachmentsField, self).clean(upload, initial)) for upload in files]


BODY_HELP = _(
    "Markdown : **gras**, *italique*, [lien](https://…), listes, > citation. "
    "Mentionnez quelqu'un avec @pseudonyme."
)


class PostForm(SubmitOnceFormMixin, HoneypotFormMixin, forms.Form):
    """A reply (and, through TopicForm, a new topic). Sent twice, it is stored once."""

    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        help_text=BODY_HELP,
    )
    attachments = AttachmentsField(
        label=_("Pièces jointes"), help_text=_("Images ou PDF, 5 Mo au plus chacune.")
    )


class TopicForm(PostForm):
    title = forms.CharField(label=_("Titre du sujet"), max_length=200)
    field_order = ["title", "body", "attachments"]


class EditPostForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=BODY_HELP,
    )


class FlagForm(forms.Form):
    reason = forms.CharField(label=_("Pourquoi signalez-vous ce message ?"), max_length=300, required=False)


class MoveTopicForm(forms.Form):
    category = forms.ModelChoiceField(queryset=Category.objects.all(), label=_("Déplacer vers"))


class SubscriptionForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("Me prévenir"),
        choices=[("", _("ne pas suivre"))] + list(Subscription.Frequency.choices),
        required=False,
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Rechercher dans le forum"), max_length=100, required=False)


class AmbassadorApplicationForm(HoneypotFormMixin, forms.Form):
    motivation = forms.CharField(
        label=_("Pourquoi souhaitez-vous devenir ambassadeur·rice ?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )
    territory = forms.CharField(
        label=_("Votre territoire"),
        max_length=5,
        validators=[validate_territory_code],
        help_text=_("Numéro de département (30, 2A, 974) ou code INSEE de votre commune."),
    )
    themes = forms.MultipleChoiceField(label=_("Thèmes"), choices=THEMES, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(
        label=_("Langues parlées"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple, initial=["fr"]
    )
    kind = forms.ChoiceField(
        label=_("À quel titre"), choices=AmbassadorKind.choices, widget=forms.RadioSelect
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    source = forms.ModelChoiceField(
        queryset=None, label=_("Source"), required=False, help_text=_("Si vous représentez une source.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from sources.models import Source

        self.fields["source"].queryset = Source.objects.filter(is_active=True)

    def clean_territory(self):
        territory = self.cleaned_data["territory"].strip().upper()
        if not departement_of(territory):
            raise forms.ValidationError(_("Indiquez un département ou une commune."), code="no_departement")
        return territory

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == AmbassadorKind.SOURCE and not cleaned.get("source"):
            self.add_error("source", _("Choisissez la source que vous représentez."))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[("accept", _("accepter")), ("decline", _("décliner"))],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message à la personne"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )


class AmbassadorProfileForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(label=_("Thèmes"), choices=THEMES, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(
        label=_("Langues"), choices=LANGUAGES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = AmbassadorProfile
        fields = [
            "bio", "themes", "languages", "organisation", "show_in_directory", "show_organisation",
            "show_bio", "show_learning", "is_available", "unavailable_note", "replacement",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replacement"].queryset = (
            AmbassadorProfile.objects.exclude(pk=self.instance.pk)
            .filter(is_available=True)
            .select_related("user")
        )
        self.fields["replacement"].help_text = _("Qui contacter pendant votre absence.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_available") and not cleaned.get("replacement"):
            self.add_error("replacement", _("Nommez la personne qui vous remplace pendant votre absence."))
        return cleaned


class ContactForm(HoneypotFormMixin, forms.Form):
    sender_name = forms.CharField(label=_("Votre nom"), max_length=120)
    sender_email = forms.EmailField(
        label=_("Votre adresse e-mail"), help_text=_("Pour que la personne vous réponde.")
    )
    message = forms.CharField(
        label=_("Votre message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=4000
    )


class ExchangeForm(forms.ModelForm):
    next_contact_on = forms.DateField(
        label=_("Prochain contact"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = AmbassadorExchange
        fields = ["kind", "happened_on", "summary"]
        widgets = {"happened_on": forms.DateInput(attrs={"type": "date"})}


class DirectoryFilterForm(forms.Form):
    departement = forms.ChoiceField(label=_("Département"), required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    theme = forms.ChoiceField(label=_("Thème"), required=False, choices=[("", _("tous"))] + THEMES)
    language = forms.ChoiceField(label=_("Langue"), required=False, choices=[("", _("toutes"))] + LANGUAGES)
    kind = forms.ChoiceField(
        label=_("Profil"), required=False, choices=[("", _("tous"))] + list(AmbassadorKind.choices)
    )

    def __init__(self, *args, **kwargs):
        from core.territories import DEPARTEMENTS, REGIONS

        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", _("tous"))] + [
            (code, f"{code} – {name}") for code, (name, _region) in DEPARTEMENTS.items()
        ]
        self.fields["region"].choices = [("", _("toutes"))] + sorted(
            REGIONS.items(), key=lambda item: item[1]
        )


class JoinRequestForm(HoneypotFormMixin, forms.ModelForm):
    class Meta:
        model = JoinRequest
        fields = ["name", "email", "message"]
