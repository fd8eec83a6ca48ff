"""Machine-to-machine endpoints (e-mail provider tracking)."""

from django.urls import include, path

urlpatterns = [
    path("anymail/", include("anymail.urls")),
]
