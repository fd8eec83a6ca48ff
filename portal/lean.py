"""Leave out Wagtail's headless API v3 (django-ninja, pydantic) when the portal does not serve it.

Wagtail 8's images, documents, snippets, locales and redirects apps register their routers with the v3
API in `ready()` whether or not `wagtail.api.v3` is installed, which imports django-ninja, pydantic and the
API's schemas in every process: about a second of start-up and tens of MB per worker for an API the
portal never routes (portal/urls.py includes no `wagtail.api.v3.urls`; the admin uses its own API).
Before the apps load, the modules those `ready()` methods import are replaced by inert ones, unless
`wagtail.api.v3` is in INSTALLED_APPS.
"""

import sys
import types


class _InertAPI:
    """Takes the routers the apps add, and serves nothing."""

    def add_router(self, prefix, router, **kwargs):
        pass


def _module(name: str, **attributes) -> types.ModuleType:
    module = types.ModuleType(name, "Inert stand-in: wagtail.api.v3 is not installed (portal/lean.py).")
    module.__dict__.update(attributes)
    return module


def leave_out_wagtail_api_v3(installed_apps: list[str]) -> None:
    if "wagtail.api.v3" in installed_apps or "wagtail.api.v3.api" in sys.modules:
        return
    noop = lambda *args, **kwargs: None  # noqa: E731
    stand_ins = {"wagtail.api.v3.api": _module("wagtail.api.v3.api", api=_InertAPI())}
    for app in ("wagtail.images", "wagtail.documents", "wagtail.snippets", "wagtail.locales"):
        stand_ins[f"{app}.api.v3"] = _module(f"{app}.api.v3", router=None, register_content_types=noop)
        stand_ins[f"{app}.api.v3.router"] = _module(f"{app}.api.v3.router", router=None)
        stand_ins[f"{app}.api.v3.registry"] = _module(f"{app}.api.v3.registry", register_content_types=noop)
    stand_ins["wagtail.contrib.redirects.api.v3"] = _module("wagtail.contrib.redirects.api.v3", router=None)
    for name, module in stand_ins.items():
        sys.modules.setdefault(name, module)
