"""What every app's demo uses to give its French demo content an English translation.

Translations are made the way the admin's "Translate" action starts them: `copy_for_translation`, then the
translated fields are set and the page is published. An existing translation is left alone, so running
`load_demo` again creates nothing and keeps what editors changed.
"""

from collections.abc import Callable

from wagtail.models import Page


def translate_page(
    page: Page, locale, *, slug: str, prepare: Callable[[Page], None] | None = None, **fields
) -> Page:
    """The live translation of `page` in `locale` (its parent must be translated already).

    `fields` are set on the copy; `prepare(translation)` then does what plain attributes cannot (a form
    page's questions), before the translation is published.
    """
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    translation = page.copy_for_translation(locale, alias=False).specific
    translation.slug = slug
    for name, value in fields.items():
        setattr(translation, name, value)
    if prepare is not None:
        prepare(translation)
    translation.save_revision().publish()
    return translation


def with_block_ids(blocks: list[tuple], original) -> list[dict]:
    """`blocks` ((type, raw value) pairs) as raw stream data carrying the ids of the `original` stream's
    blocks, in order.

    A translation keeps its blocks' identity (a kit's ticked steps are stored by block id); the English
    text must therefore mirror the French blocks one for one, which `strict=True` enforces.
    """
    ids = [block.id for block in original]
    return [
        {"type": name, "value": value, "id": block_id}
        for (name, value), block_id in zip(blocks, ids, strict=True)
    ]
