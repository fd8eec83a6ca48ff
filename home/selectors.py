"""What the home page shows, gathered from the apps that registered a part of it.

Apps register `core.extensions.HOME_SECTION` and `KEY_FIGURES` functions in their `wagtail_hooks.py` (see
`core/extensions.py` for the shapes). A section with no items is left out; a section that raises is not:
the error reaches the page like any other.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from core import extensions


def home_sections(*, request) -> list[dict]:
    sections = []
    for _label, function in extensions.contributions(extensions.HOME_SECTION):
        section = function(request=request)
        if section and section.get("items"):
            sections.append(section)
    return sections


KEY_FIGURES_CACHE_KEY = "home:key_figures:v1:{language}"
# Forgotten by home.signals when something they count is saved or deleted; the expiry bounds what no
# signal sees (bulk writes, an account deactivated).
KEY_FIGURES_TTL = 600


def key_figures() -> list[dict]:
    """The apps' key figures (about ten COUNTs), computed once and kept in the cache, per language."""
    key = KEY_FIGURES_CACHE_KEY.format(language=translation.get_language() or settings.LANGUAGE_CODE)
    figures = cache.get(key)
    if figures is None:
        figures = []
        for _label, function in extensions.contributions(extensions.KEY_FIGURES):
            figures.extend({**figure, "label": str(figure["label"])} for figure in function())
        cache.set(key, figures, KEY_FIGURES_TTL)
    return figures


def forget_key_figures() -> None:
    cache.delete_many([KEY_FIGURES_CACHE_KEY.format(language=code) for code, _name in settings.LANGUAGES])


def personal_data(*, user) -> dict:
    """Answers the person sent to form pages while signed in (RGPD export)."""
    from home.models import PortalFormSubmission

    return {
        "form_answers": [
            {
                "form": submission.page.title,
                "submitted_at": submission.submit_time.isoformat(),
                "answers": submission.form_data,
            }
            for submission in PortalFormSubmission.objects.filter(user=user)
            .select_related("page")
            .order_by("submit_time")
        ]
    }
