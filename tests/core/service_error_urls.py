"""The portal's URLs plus views that refuse, for tests/core/test_service_errors.py."""

from django.urls import path

from core.errors import Conflict, NotAllowed
from portal.urls import urlpatterns as portal_urlpatterns


def already_done(request):
    raise Conflict("Ce sujet a déjà été résolu.")


def forbidden(request):
    raise NotAllowed()


def broken(request):
    raise RuntimeError("a bug, not a refusal")


urlpatterns = [
    path("test/deja-fait/", already_done),
    path("test/interdit/", forbidden),
    path("test/bogue/", broken),
    *portal_urlpatterns,
]
