"""Machine endpoints of the sources app (status JSON, GoGoCarto's report webhook)."""

from django.urls import path  # noqa: F401

app_name = "sources_api"

urlpatterns: list = []
