"""What the home page shows, gathered from the apps that registered a part of it.

Apps register `core.extensions.HOME_SECTION` and `KEY_FIGURES` functions in their `wagtail_hooks.py` (see
`core/extensions.py` for the shapes). A section with no items is left out; a section that raises is not:
the error reaches the page like any other.
"""

from core import extensions


def home_sections(*, request) -> list[dict]:
    sections = []
    for _label, function in extensions.contributions(extensions.HOME_SECTION):
        section = function(request=request)
        if section and section.get("items"):
            sections.append(section)
    return sections


def key_figures() -> list[dict]:
    figures = []
    for _label, function in extensions.contributions(extensions.KEY_FIGURES):
        figures.extend(function())
    return figures


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
