"""StreamField blocks of the portal's pages. Each block has an icon, a template and a preview value."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "link", "document-link", "ol", "ul", "hr"]


class HeadingBlock(blocks.StructBlock):
    """A section heading. Level 2 or 3 only: the page title is the level-1 heading."""

    text = blocks.CharBlock(label=_("titre"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("niveau"),
        choices=[("h2", _("Titre de section (niveau 2)")), ("h3", _("Sous-titre (niveau 3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "components/blocks/heading_block.html"
        preview_value = {"text": "Pourquoi une carte commune ?", "level": "h2"}


class ParagraphBlock(blocks.RichTextBlock):
    """Running text: paragraphs, lists and links."""

    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraphe")
        template = "components/blocks/paragraph_block.html"
        preview_value = (
            "<p>Transiscope rassemble sur une même carte les alternatives recensées par une "
            "trentaine de réseaux.</p>"
        )


class ImageBlock(blocks.StructBlock):
    """An image with its text alternative (required unless decorative) and its author's credit."""

    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("texte alternatif"),
        required=False,
        max_length=300,
        help_text=_("Ce que l'image apporte, pour qui ne la voit pas. Laisser vide si elle est décorative."),
    )
    caption = blocks.CharBlock(label=_("légende"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("crédit"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "components/blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    """A quotation and who said it."""

    quote = blocks.TextBlock(label=_("citation"))
    attribution = blocks.CharBlock(label=_("auteur·rice"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "components/blocks/quote_block.html"
        preview_value = {
            "quote": "Relier les alternatives, c'est montrer qu'un autre monde existe déjà.",
            "attribution": "Une ambassadrice",
        }


class CallToActionBlock(blocks.StructBlock):
    """A highlighted invitation to act, leading to a page of the site or another address."""

    title = blocks.CharBlock(label=_("titre"), max_length=200)
    text = blocks.TextBlock(label=_("texte"), required=False)
    page = blocks.PageChooserBlock(label=_("page du site"), required=False)
    url = blocks.URLBlock(label=_("ou adresse externe"), required=False)
    button_label = blocks.CharBlock(label=_("texte du bouton"), max_length=80)

    class Meta:
        icon = "pick"
        label = _("Appel à l'action")
        template = "components/blocks/call_to_action_block.html"
        preview_value = {
            "title": "Devenez ambassadeur·rice",
            "text": "Faites connaître la carte près de chez vous.",
            "url": "https://transiscope.org",
            "button_label": "En savoir plus",
        }

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": blocks.BlockValidationError(_("Choisissez une page ou une adresse."))}
            )
        return value


class DocumentBlock(blocks.StructBlock):
    """A document to download, with a label saying what it is."""

    document = DocumentChooserBlock(label=_("document"))
    label = blocks.CharBlock(label=_("intitulé"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "components/blocks/document_block.html"


class BodyBlock(blocks.StreamBlock):
    """The body of a standard page."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    embed = EmbedBlock(
        label=_("Vidéo ou contenu intégré"),
        icon="media",
        template="components/blocks/embed_block.html",
        help_text=_("Adresse d'une vidéo (PeerTube, YouTube, Vimeo…)."),
    )
    document = DocumentBlock()

    class Meta:
        template = "components/blocks/body.html"


class LinkBlock(blocks.StructBlock):
    """A link of a menu: a page of the site (its title in each language) or an external address."""

    page = blocks.PageChooserBlock(label=_("page du site"), required=False)
    url = blocks.URLBlock(label=_("ou adresse externe"), required=False)
    label = blocks.CharBlock(
        label=_("intitulé"), required=False, max_length=80, help_text=_("Par défaut : le titre de la page.")
    )
    label_en = blocks.CharBlock(label=_("intitulé en anglais"), required=False, max_length=80)

    class Meta:
        icon = "link"
        label = _("Lien")
        template = "components/blocks/link_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": blocks.BlockValidationError(_("Choisissez une page ou une adresse."))}
            )
        if value.get("url") and not value.get("label"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "label": blocks.BlockValidationError(_("Un lien externe a besoin d'un intitulé."))
                }
            )
        return value
