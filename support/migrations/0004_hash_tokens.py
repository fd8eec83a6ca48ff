"""Existing links keep working: each clear token becomes a `SecretLink` holding its SHA-256 (migration 0005
then drops the clear tokens). The hash is written out here rather than imported so that this migration
stays what it was if the app's code changes."""

import hashlib
import secrets

from django.db import migrations


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_existing_tokens(apps, schema_editor):
    SupportRequest = apps.get_model("support", "SupportRequest")
    Referral = apps.get_model("support", "Referral")
    SecretLink = apps.get_model("support", "SecretLink")
    # Anonymised requests hold a random token nobody received: there is nothing to keep.
    requests = SupportRequest.objects.filter(anonymised_at__isnull=True).exclude(token="")
    links = [SecretLink(request_id=r.pk, token_hash=_hash(r.token)) for r in requests.iterator()]
    # A merged duplicate's link leads to the kept request when both come from the same person
    # (`support.views.follow`): the kept request accepts that token too.
    for duplicate in requests.filter(merged_into__isnull=False).select_related("merged_into"):
        if duplicate.contact_email.lower() == duplicate.merged_into.contact_email.lower():
            links.append(SecretLink(request_id=duplicate.merged_into_id, token_hash=_hash(duplicate.token)))
    referrals = Referral.objects.filter(request__anonymised_at__isnull=True).exclude(token="")
    links += [
        SecretLink(request_id=r.request_id, referral_id=r.pk, token_hash=_hash(r.token))
        for r in referrals.iterator()
    ]
    SecretLink.objects.bulk_create(links, batch_size=500)


def give_fresh_tokens(apps, schema_editor):
    """Going back: hashes cannot be reversed, so every row gets its own new token (the sent links stop
    working). Without this, the column re-added by reversing 0005 would hold one default for all rows."""
    for name in ("SupportRequest", "Referral"):
        model = apps.get_model("support", name)
        for pk in list(model.objects.values_list("pk", flat=True)):
            model.objects.filter(pk=pk).update(token=secrets.token_urlsafe(32))
    apps.get_model("support", "SecretLink").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0003_secretlink")]

    operations = [migrations.RunPython(hash_existing_tokens, give_fresh_tokens)]
