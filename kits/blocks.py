"""The steps a kit is made of. Each top-level block of a kit's body is one step a person can tick.

Every step block has a `title` (shown in the step list and used in progress) and renders with its own
template under `kits/blocks/`. Steps are identified by their StreamField block id, which stays stable
across revisions and translations, so ticked steps survive edits.
"""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.snippets.blocks import SnippetChooserBlock


class TextStepBlock(blocks.StructBlock):
    """A step explained in formatted text."""

    title = blocks.CharBlock(label=_("titre de l'étape"), max_length=200)
    text = blocks.RichTextBlock(
        label=_("texte"), features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]
    )

    class Meta:
        icon = "doc-full"
        label = _("Étape : texte")
        template = "kits/blocks/text_step.html"
        preview_value = {"title": "Préparer la cartopartie", "text": "<p>Choisissez un lieu accessible.</p>"}


class VideoStepBlock(blocks.StructBlock):
    """A step shown in a video (YouTube, PeerTube, Vimeo... through oEmbed), with a text alternative."""

    title = blocks.CharBlock(label=_("titre de l'étape"), max_length=200)
    video = EmbedBlock(label=_("vidéo"), help_text=_("Adresse de la vidéo (PeerTube, YouTube, Vimeo...)."))
    transcript = blocks.RichTextBlock(
        label=_("transcription ou résumé"), required=False, features=["bold", "italic", "link", "ul"]
    )

    class Meta:
        icon = "media"
        label = _("Étape : vidéo")
        template = "kits/blocks/video_step.html"


class DocumentStepBlock(blocks.StructBlock):
    """A step that hands out a document to download (fiche, modèle, diaporama)."""

    title = blocks.CharBlock(label=_("titre de l'étape"), max_length=200)
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.TextBlock(label=_("description"), required=False)

    class Meta:
        icon = "download"
        label = _("Étape : document à télécharger")
        template = "kits/blocks/document_step.html"


class ChecklistStepBlock(blocks.StructBlock):
    """A step made of things to check before moving on."""

    title = blocks.CharBlock(label=_("titre de l'étape"), max_length=200)
    items = blocks.ListBlock(blocks.CharBlock(label=_("point à vérifier"), max_length=300), label=_("liste"))

    class Meta:
        icon = "tasks"
        label = _("Étape : liste de vérification")
        template = "kits/blocks/checklist_step.html"
        preview_value = {"title": "Avant de partir", "items": ["Imprimer les fiches", "Charger le téléphone"]}


class CalloutStepBlock(blocks.StructBlock):
    """A highlighted tip, warning or good practice."""

    KINDS = [("tip", _("Astuce")), ("warning", _("Attention")), ("practice", _("Bonne pratique"))]

    title = blocks.CharBlock(label=_("titre de l'étape"), max_length=200)
    kind = blocks.ChoiceBlock(choices=KINDS, default="tip", label=_("type"))
    text = blocks.RichTextBlock(label=_("texte"), features=["bold", "italic", "link"])

    class Meta:
        icon = "warning"
        label = _("Étape : encadré")
        template = "kits/blocks/callout_step.html"
        preview_value = {"title": "Astuce", "kind": "tip", "text": "<p>Commencez petit.</p>"}

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["kind_label"] = dict(self.KINDS).get(value.get("kind"), "")
        return context


class FaqLinksStepBlock(blocks.StructBlock):
    """A step pointing to questions of the FAQ."""

    title = blocks.CharBlock(label=_("titre de l'étape"), max_length=200)
    entries = blocks.ListBlock(SnippetChooserBlock("kits.FaqEntry"), label=_("questions de la FAQ"))

    class Meta:
        icon = "help"
        label = _("Étape : questions fréquentes")
        template = "kits/blocks/faq_links_step.html"


class KitStepsBlock(blocks.StreamBlock):
    """The ordered steps of a kit."""

    text = TextStepBlock()
    video = VideoStepBlock()
    document = DocumentStepBlock()
    checklist = ChecklistStepBlock()
    callout = CalloutStepBlock()
    faq_links = FaqLinksStepBlock()

    class Meta:
        block_counts = {}
