"""StreamField blocks of a story's body."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class CreditedImageBlock(blocks.StructBlock):
    """An image with the text that replaces it for people who cannot see it, and who made it."""

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("texte alternatif"),
        max_length=250,
        help_text=_("Ce que l'image montre, pour les personnes qui ne la voient pas."),
    )
    caption = blocks.CharBlock(label=_("légende"), required=False, max_length=250)
    credit = blocks.CharBlock(label=_("crédit"), max_length=150)

    class Meta:
        icon = "image"
        label = _("image")
        template = "stories/blocks/credited_image.html"
        preview_value = {"alt_text": "Atelier de cartographie", "credit": "Transiscope"}


class QuoteBlock(blocks.StructBlock):
    """A testimony's words and who said them."""

    text = blocks.TextBlock(label=_("citation"))
    attribution = blocks.CharBlock(label=_("auteur·rice"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        label = _("citation")
        template = "stories/blocks/quote.html"
        preview_value = {
            "text": "On a enfin vu tout ce qui existait autour de nous.",
            "attribution": "Maëlle",
        }


class VideoBlock(blocks.StructBlock):
    """A video from a hosting service, with a text version."""

    video = EmbedBlock(label=_("adresse de la vidéo"))
    transcript = blocks.TextBlock(
        label=_("transcription ou résumé"), required=False, help_text=_("Pour l'accessibilité.")
    )

    class Meta:
        icon = "media"
        label = _("vidéo")
        template = "stories/blocks/video.html"
        preview_value = {"transcript": "Résumé de la vidéo."}


class StoryBodyBlock(blocks.StreamBlock):
    """The body of a story."""

    paragraph = blocks.RichTextBlock(
        label=_("texte"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul"], icon="pilcrow"
    )
    image = CreditedImageBlock()
    quote = QuoteBlock()
    video = VideoBlock()

    class Meta:
        label = _("contenu")
