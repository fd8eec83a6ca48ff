"""Questionnaire URLs: the CSV export of the answers."""

from django.urls import path

from ..views import questionnaire as views

urlpatterns = [
    path("questionnaire/<int:page_id>/export.csv", views.questionnaire_csv, name="questionnaire_csv"),
]
