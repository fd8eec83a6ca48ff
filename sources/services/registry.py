"""Writes on the source registry itself."""

from django.db import transaction

from accounts import roles
from accounts.models import User
from sources.models import Source


@transaction.atomic
def source_add(
    *,
    slug: str,
    name: str,
    source_key: str,
    feed_url: str,
    feed_format: str = Source.FeedFormat.AUTO,
    map_url: str = "",
    maintainer_emails: list[str] | None = None,
) -> tuple[Source, bool]:
    """Create or update the source `slug`; maintainers must already have an account (role given here)."""
    from django.contrib.auth.models import Group

    source = Source.objects.filter(slug=slug).first()
    created = source is None
    source = source or Source(slug=slug)
    source.name, source.source_key, source.feed_url = name, source_key, feed_url
    source.feed_format, source.map_url = feed_format, map_url
    source.full_clean(exclude=["report_token"] if created else None)
    source.save()
    if maintainer_emails:
        users = []
        for email in maintainer_emails:
            # Only an address the person proved theirs: an unverified sign-up with a maintainer's address
            # must not receive the source.
            user = (
                User.objects.filter(
                    emailaddress__email__iexact=email.strip(), emailaddress__verified=True, is_active=True
                )
                .distinct()
                .first()
            )
            if user is None:
                raise User.DoesNotExist(f"Aucun compte avec l'adresse vérifiée {email}")
            users.append(user)
        group, _created = Group.objects.get_or_create(name=roles.SOURCE_MAINTAINER)
        for user in users:
            user.groups.add(group)
        source.maintainers.add(*users)
    return source, created
