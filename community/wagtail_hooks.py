"""Wagtail hooks of the community app."""

from wagtail import hooks

from community import selectors as community_selectors
from core import extensions

# Extension points (core/extensions.py): what this app adds to screens it does not own.
hooks.register(extensions.HOME_SECTION, community_selectors.home_section, order=50)
hooks.register(extensions.KEY_FIGURES, community_selectors.key_figures, order=50)
hooks.register(extensions.PERSONAL_DATA, community_selectors.personal_data)


@hooks.register(extensions.DEMO, order=60)
def load_demo(*, stdout):
    from community import demo  # imported only when the demo is loaded

    demo.load(stdout=stdout)
