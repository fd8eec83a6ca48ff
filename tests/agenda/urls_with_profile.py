"""The portal's URLs plus a stand-in `accounts:profile`, which the header links to for signed-in people.

Used by the agenda's tests only while the accounts app of this branch does not name that URL yet
(see the autouse fixture in conftest.py); once it does, the real URLs are used unchanged.
"""

from django.http import HttpResponse
from django.urls import include, path

from portal.urls import handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def profile(request):
    return HttpResponse("profil")


urlpatterns = [
    path("compte-test/", include(([path("profil/", profile, name="profile")], "accounts"))),
    *portal_urlpatterns,
]
