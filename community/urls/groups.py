"""Working group URLs, under groupes/."""

from django.urls import path

from ..views import groups as views

urlpatterns = [
    path("groupes/", views.group_list, name="groups"),
    path("groupes/<slug:slug>/", views.group_detail, name="group"),
]
