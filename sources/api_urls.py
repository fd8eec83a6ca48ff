"""Machine endpoints of the sources app (status JSON, GoGoCarto's report webhook)."""

from django.urls import path

from sources import api_views

app_name = "sources_api"

urlpatterns = [
    path("<slug:slug>/status.json", api_views.status, name="status"),
    path("<slug:slug>/signalements/<str:token>/", api_views.gogocarto_report, name="gogocarto_report"),
]
