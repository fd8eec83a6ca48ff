"""Writes of the home app: answers to form pages."""

from django.db import transaction

from core.forms import HoneypotFormMixin
from core.mail import send_templated_mail
from home.models import FormPage, PortalFormSubmission


def _answers(form) -> dict:
    return {
        name: value
        for name, value in form.cleaned_data.items()
        if name != HoneypotFormMixin.honeypot_field_name
    }


def form_submission_create(*, page: FormPage, form, user=None) -> PortalFormSubmission:
    """Store an answer to a form page (without the honeypot) and notify the page's recipients."""
    submission = PortalFormSubmission.objects.create(
        page=page,
        form_data=_answers(form),
        user=user if user is not None and user.is_authenticated else None,
    )
    if page.to_address:
        transaction.on_commit(lambda: form_submission_notify(page=page, form=form))
    return submission


def form_submission_notify(*, page: FormPage, form) -> None:
    labels = {field.clean_name: field.label for field in page.get_form_fields()}
    answers = [
        (labels.get(name, name), ", ".join(value) if isinstance(value, list) else value)
        for name, value in _answers(form).items()
    ]
    for address in [item.strip() for item in page.to_address.split(",") if item.strip()]:
        send_templated_mail(
            to=address,
            template="home/email/form_submission",
            context={"page_title": page.title, "subject": page.subject, "answers": answers},
            from_email=page.from_address or None,
        )
