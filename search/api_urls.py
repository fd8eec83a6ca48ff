"""Language-neutral endpoints of the search: outside `i18n_patterns`."""

from django.urls import path

from search import views

urlpatterns = [
    path("api/recherche.json", views.api, name="search_api"),
    path("opensearch.xml", views.opensearch, name="search_opensearch"),
]
