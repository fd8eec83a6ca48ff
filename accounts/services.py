"""Writes on people's accounts."""

import logging

from django.db import transaction

from accounts.models import User
from accounts.signals import account_deleting

logger = logging.getLogger(__name__)


def profile_update(
    *, user: User, display_name: str, organisation: str, territory: str, preferred_language: str
) -> User:
    user.display_name = display_name
    user.organisation = organisation
    user.territory = territory
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "organisation", "territory", "preferred_language"])
    return user


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the person and what is only theirs. Each app's foreign keys decide what happens to
    shared content (CASCADE for private things, SET_NULL where a post should stay, signed
    "compte supprimé")."""
    user_id = user.pk
    account_deleting.send(sender=User, user=user)
    user.delete()
    logger.info("Account %s deleted at the person's request", user_id)
