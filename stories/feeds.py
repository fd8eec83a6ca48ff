"""RSS and Atom feeds of the published stories, in the language of the address."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from stories.selectors import _current_locale, story_list

FEED_LENGTH = 30


class StoriesRssFeed(Feed):
    def title(self):
        return _("Transiscope — récits")

    def description(self):
        return _("Les récits des sources et des territoires de la transition.")

    def link(self):
        return reverse("stories:index")

    def items(self):
        return story_list(locale=_current_locale(), limit=FEED_LENGTH)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.introduction

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [item.get_kind_display()]

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors()) or None


class StoriesAtomFeed(StoriesRssFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
