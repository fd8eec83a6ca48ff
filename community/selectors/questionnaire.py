"""Reads of the sources' questionnaire: its answers, for the team's export."""

from django.db.models import QuerySet

from ..models import SourceQuestionnairePage


def questionnaire_answers(*, page: SourceQuestionnairePage) -> QuerySet:
    """The answers to a questionnaire, given on the page or on its translations (same questions, same
    clean names), oldest first, with their source and author loaded."""
    submissions = page.get_submission_class().objects.filter(page__translation_key=page.translation_key)
    return submissions.select_related("source", "user").order_by("submit_time")
