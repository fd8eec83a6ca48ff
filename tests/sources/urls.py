"""Test URLconf: the portal's, plus a stand-in for `accounts:profile` while the accounts app has none.

The site header links to `accounts:profile`, which the accounts work adds; until it is merged, pages
rendered for a signed-in person could not be tested without this stand-in.
"""

from django.http import HttpResponse
from django.urls import include, path

from portal import urls as portal_urls

stand_in = ([path("profil/", lambda request: HttpResponse("profil"), name="profile")], "accounts")
urlpatterns = [path("compte-test/", include(stand_in)), *portal_urls.urlpatterns]
handler404 = portal_urls.handler404
handler500 = portal_urls.handler500
