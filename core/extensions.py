"""The extension points through which a feature app adds to screens it does not own.

An app contributes by registering a function in its own `wagtail_hooks.py` (Wagtail imports that module of
every installed app at the first use of a hook; an error in it is raised, never skipped):

    from wagtail import hooks

    from core import extensions
    from agenda import selectors

    hooks.register(extensions.HOME_SECTION, selectors.home_section, order=10)

The consumer (the home page, the "Mes données" export, `load_demo`) asks `contributions(name)` and calls each
function; nothing is looked up by app name, and an exception raised by a contribution is not caught.

- `HOME_SECTION` (`register_home_section`): `fn(*, request) -> dict | None`, one section of the home page,
  `{"title", "items": [{"title", "url", "meta"}], "more_url", "more_label"}`. `order` places it
  (agenda 10, kits 20, sources 30, stories 40, community 50, support 60).
- `KEY_FIGURES` (`register_key_figures`): `fn() -> list[{"value", "label"}]`, the figures at the top of the
  home page, in the same order.
- `PERSONAL_DATA` (`register_personal_data`): `fn(*, user) -> dict`, what the app keeps about a person; the
  export puts it under the app's label. Every app with a model pointing at the user registers one (a test
  keeps it so).
- `DEMO` (`register_demo`): `fn(*, stdout)`, loads the app's demo content, idempotent; `order` is the
  loading order, later apps using what earlier ones created (accounts 10, home 20, sources 30, kits 40,
  agenda 50, community 60, support 70, stories 80, newsletter 90).
"""

from collections.abc import Callable

from django.apps import apps

from wagtail import hooks

HOME_SECTION = "register_home_section"
KEY_FIGURES = "register_key_figures"
PERSONAL_DATA = "register_personal_data"
DEMO = "register_demo"


class ExtensionError(RuntimeError):
    """A contribution registered from outside an installed app (it would have no label)."""


def contributions(hook_name: str) -> list[tuple[str, Callable]]:
    """`(app label, function)` for every function registered under `hook_name`, in their order."""
    found = []
    for function in hooks.get_hooks(hook_name):
        config = apps.get_containing_app_config(function.__module__)
        if config is None:
            raise ExtensionError(f"{function!r} is registered for {hook_name} outside an installed app.")
        found.append((config.label, function))
    return found
