from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("modifier/", views.profile_edit, name="profile_edit"),
    path("mes-donnees/", views.my_data, name="data"),
    path("mes-donnees/export.json", views.data_download, name="data_download"),
    path("supprimer/", views.account_delete, name="delete"),
]
