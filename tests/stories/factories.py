"""Factories for stories; sources come from the sources app's factories."""

from tests.sources import factories as sources_factories


class SourceFactory(sources_factories.SourceFactory):
    """A source of the Gard, active, as the stories tests expect."""

    territory = "30"
    is_active = True
