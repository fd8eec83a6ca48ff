"""Serving hooks of the home app."""

from wagtail import hooks

from core import extensions
from home import selectors as home_selectors


@hooks.register("before_serve_page")
def remember_served_page(page, request, serve_args, serve_kwargs):
    """The language switch links to the page's own translations (see home.context_processors)."""
    request.wagtail_page = page


# Extension points (core/extensions.py): what this app adds to screens it does not own.
hooks.register(extensions.PERSONAL_DATA, home_selectors.personal_data)


@hooks.register(extensions.DEMO, order=20)
def load_demo(*, stdout):
    from home import demo  # imported only when the demo is loaded

    demo.load(stdout=stdout)
