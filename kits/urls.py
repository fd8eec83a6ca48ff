from django.urls import path

from kits import views

app_name = "kits"

urlpatterns = [
    path("", views.index, name="index"),
    path("faq/", views.faq, name="faq"),
    path("formations/", views.session_list, name="session_list"),
    path("formations.ics", views.session_feed, name="session_feed"),
    path("formations/<int:pk>/", views.session_detail, name="session_detail"),
    path("formations/<int:pk>/inscription/", views.session_register, name="session_register"),
    path("formations/<int:pk>/presences/", views.session_attendance, name="session_attendance"),
    path(
        "formations/<int:pk>/inscriptions/<int:registration_pk>/annuler/",
        views.session_registration_cancel,
        name="session_registration_cancel",
    ),
    path("formations/<int:pk>/inscrits.csv", views.session_registrants_csv, name="session_registrants_csv"),
    path("formations/<int:pk>/avis/", views.session_feedback, name="session_feedback"),
    path("inscriptions/<uuid:token>/annuler/", views.registration_cancel, name="registration_cancel"),
    path("progression/<int:page_id>/etape/", views.progress_step, name="progress_step"),
    path("progression/<int:page_id>/termine/", views.progress_done, name="progress_done"),
    path("hors-ligne/<int:page_id>.json", views.offline_bundle, name="offline_bundle"),
    path("mon-parcours/", views.my_learning, name="my_learning"),
    path("echange-individuel/", views.one_to_one_new, name="one_to_one_new"),
    path("echanges/", views.one_to_one_list, name="one_to_one_list"),
    path("echanges/<int:pk>/", views.one_to_one_detail, name="one_to_one_detail"),
]
