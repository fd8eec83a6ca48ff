"""The sources tests' local feed server, reused to index alternatives through the real feed check."""

from tests.sources.conftest import feed_source, serve_feed  # noqa: F401
