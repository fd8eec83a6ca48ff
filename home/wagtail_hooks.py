"""Serving hooks of the home app."""

from wagtail import hooks


@hooks.register("before_serve_page")
def remember_served_page(page, request, serve_args, serve_kwargs):
    """The language switch links to the page's own translations (see home.context_processors)."""
    request.wagtail_page = page
