"""Ambassador programme URLs, under ambassadeurs/."""

from django.urls import path

from ..views import ambassadors as views

urlpatterns = [
    path("ambassadeurs/", views.ambassador_directory, name="ambassadors"),
    path("ambassadeurs/candidater/", views.ambassador_apply, name="ambassador_apply"),
    path("ambassadeurs/mon-espace/", views.my_ambassador_space, name="my_ambassador_space"),
    path("ambassadeurs/candidatures/", views.application_list, name="applications"),
    path("ambassadeurs/candidatures/<int:pk>/", views.application_review, name="application_review"),
    path("ambassadeurs/suivi/", views.follow_up_list, name="follow_up_list"),
    path("ambassadeurs/suivi/<int:pk>/", views.follow_up, name="follow_up"),
    path("ambassadeurs/<int:pk>/", views.ambassador_detail, name="ambassador"),
]
