"""Wagtail hooks of the accounts app: who sees what in Wagtail's shared choosers, and what this app
adds to screens it does not own (core/extensions.py)."""

from wagtail import hooks

from accounts import permissions
from accounts import selectors as accounts_selectors
from core import extensions

hooks.register(extensions.PERSONAL_DATA, accounts_selectors.personal_data)


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    """A maintainer does not see other sources' drafts in the page chooser (issue 14)."""
    return permissions.scope_page_chooser(request.user, pages)


@hooks.register(extensions.DEMO, order=10)
def load_demo(*, stdout):
    from accounts import demo  # imported only when the demo is loaded

    demo.load(stdout=stdout)
