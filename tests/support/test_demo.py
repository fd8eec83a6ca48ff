import io

import pytest

from accounts import demo as accounts_demo
from support import demo
from support.models import Partner, SupportRequest

pytestmark = pytest.mark.django_db


def test_demo_has_every_status_and_is_idempotent():
    accounts_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    counts = (Partner.objects.count(), SupportRequest.objects.count())
    demo.load(stdout=io.StringIO())
    assert (Partner.objects.count(), SupportRequest.objects.count()) == counts
    statuses = set(SupportRequest.objects.values_list("status", flat=True))
    assert statuses == set(SupportRequest.Status.values)
    regions = {region for partner in Partner.objects.all() for region in partner.regions}
    assert len(regions) >= 4
