"""Admin hooks of the accounts app: who sees what in Wagtail's shared choosers."""

from wagtail import hooks

from accounts import permissions


@hooks.register("construct_page_chooser_queryset")
def scope_page_chooser(pages, request):
    """A maintainer does not see other sources' drafts in the page chooser (issue 14)."""
    return permissions.scope_page_chooser(request.user, pages)
