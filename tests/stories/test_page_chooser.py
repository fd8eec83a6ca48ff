"""Wagtail's page chooser is scoped: a source's maintainer does not see other sources' drafts (issue 14)."""

from django.urls import reverse

import pytest

from stories.models import StoryPage
from stories.services import source_space_ensure
from tests.factories import UserFactory
from tests.sources.factories import SourceFactory


def _draft(folder, title):
    story = StoryPage(title=title, kind="article", territory="30", introduction="Chapô.", live=False)
    folder.add_child(instance=story)
    story.save_revision()
    return story


@pytest.mark.django_db
def test_a_maintainer_sees_her_sources_drafts_and_not_the_others_in_the_page_chooser(client, story_index):
    mine, theirs = UserFactory(), UserFactory()
    own_folder = source_space_ensure(source=SourceFactory(maintainers=[mine]))
    other_folder = source_space_ensure(source=SourceFactory(maintainers=[theirs]))
    _draft(own_folder, "Brouillon de ma source")
    _draft(other_folder, "Projet confidentiel de l'autre source")
    client.force_login(mine)
    own = client.get(reverse("wagtailadmin_choose_page_child", args=[own_folder.pk])).content.decode()
    assert "Brouillon de ma source" in own
    other = client.get(reverse("wagtailadmin_choose_page_child", args=[other_folder.pk])).content.decode()
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "confidentiel"}).content.decode()
    assert "Projet confidentiel" not in other and "Projet confidentiel" not in search
    client.force_login(UserFactory(staff=True))
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "confidentiel"}).content.decode()
    assert "Projet confidentiel" in search
