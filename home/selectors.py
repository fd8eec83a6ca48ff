"""What the home page shows, gathered from every app.

Each app may define `home_section(*, request)` in its `selectors` module, returning None or a dict
`{"title": str, "items": [{"title", "url", "meta"}], "more_url": str, "more_label": str}`, and
`key_figures()` returning a list of `{"value": int | str, "label": str}`. The home page shows them in the
order of `SECTION_APPS`; an app that does not define them is simply skipped.
"""

from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.utils import translation

SECTION_APPS = ["agenda", "kits", "sources", "stories", "community", "support"]


def _app_function(app: str, name: str):
    try:
        module = import_module(f"{app}.selectors")
    except ModuleNotFoundError:
        return None
    return getattr(module, name, None)


def home_sections(*, request) -> list[dict]:
    sections = []
    for app in SECTION_APPS:
        function = _app_function(app, "home_section")
        section = function(request=request) if function else None
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
        for app in SECTION_APPS:
            function = _app_function(app, "key_figures")
            if function:
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
