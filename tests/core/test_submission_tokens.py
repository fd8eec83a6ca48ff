from datetime import timedelta

from django.utils import timezone

import pytest

from core.errors import Conflict
from core.forms import SubmitOnceFormMixin
from core.models import SubmissionToken
from core.services import submission_claim, submission_tokens_clear

pytestmark = pytest.mark.django_db


class ContactForm(SubmitOnceFormMixin):
    pass


def test_each_shown_form_carries_a_fresh_token():
    first, second = ContactForm(), ContactForm()
    token = first.fields[ContactForm.submission_token_field_name].initial
    assert len(token) >= 24 and token != second.fields[ContactForm.submission_token_field_name].initial


def test_a_token_is_accepted_once():
    form = ContactForm(data={ContactForm.submission_token_field_name: "abc-123"})
    assert form.is_valid()
    submission_claim(token=form.submission_token)
    with pytest.raises(Conflict) as refused:
        submission_claim(token=form.submission_token)
    assert refused.value.status == 409 and "déjà été envoyé" in str(refused.value.message)
    submission_claim(token="")  # a page shown before tokens existed still works


def test_old_tokens_are_cleared():
    SubmissionToken.objects.create(token="old")
    SubmissionToken.objects.filter(token="old").update(created_at=timezone.now() - timedelta(days=3))
    SubmissionToken.objects.create(token="fresh")
    assert submission_tokens_clear() == 1
    assert list(SubmissionToken.objects.values_list("token", flat=True)) == ["fresh"]
