"""Wagtail hooks of the accounts app."""

from wagtail import hooks

from accounts import selectors as accounts_selectors
from core import extensions

# Extension points (core/extensions.py): what this app adds to screens it does not own.
hooks.register(extensions.PERSONAL_DATA, accounts_selectors.personal_data)


@hooks.register(extensions.DEMO, order=10)
def load_demo(*, stdout):
    from accounts import demo  # imported only when the demo is loaded

    demo.load(stdout=stdout)
