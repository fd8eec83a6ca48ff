from django.urls import path

from sources import views

app_name = "sources"

urlpatterns = [
    path("", views.index, name="index"),
    path("suivi/", views.overview, name="overview"),
    path("signaler/", views.report, name="report"),
    path("alertes/", views.alert_preference, name="alert_preference"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/erreurs.csv", views.errors_csv, name="errors_csv"),
    path("<slug:slug>/verifier/", views.check_now, name="check_now"),
    path("<slug:slug>/confirmer-la-baisse/", views.confirm_held, name="confirm_held"),
    path("<slug:slug>/signalements/<int:pk>/", views.report_status, name="report_status"),
]
