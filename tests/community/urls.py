"""The portal's URLs, plus a stand-in for `accounts:profile` while the accounts app does not name it yet
(the site header links to it for signed-in people)."""

from django.http import HttpResponse
from django.urls import include, path

from portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("__compte__/", include(([path("", lambda request: HttpResponse(""), name="profile")], "accounts"))),
    *portal_urlpatterns,
]
