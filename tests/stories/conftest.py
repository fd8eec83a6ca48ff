from wagtail.models import Page

import pytest

from home.models import HomePage


@pytest.fixture
def home_page(db):
    return HomePage.objects.first()


@pytest.fixture
def story_index(home_page):
    from stories.models import StoryIndexPage

    index = StoryIndexPage(title="Récits", slug="recits", introduction="<p>Les récits.</p>")
    home_page.add_child(instance=index)
    return index


@pytest.fixture
def publish_story(story_index):
    from stories.models import StoryPage

    def make(*, title="Un récit", parent=None, kind="article", territory="30", **fields):
        story = StoryPage(
            title=title, kind=kind, territory=territory, introduction="Chapô du récit.", **fields
        )
        (parent or story_index).add_child(instance=story)
        story.save_revision().publish()
        story.refresh_from_db()
        return story

    return make


@pytest.fixture
def root_page(db):
    return Page.get_first_root_node()
