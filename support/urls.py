from django.urls import path

from support import views

app_name = "support"

urlpatterns = [
    path("", views.index, name="index"),
    path("merci/", views.thanks, name="thanks"),
    path("repertoire/", views.directory, name="directory"),
    path("suivi/<int:pk>/<str:token>/", views.follow, name="follow"),
    path("partenaire/<int:pk>/<str:token>/", views.partner, name="partner"),
    path("equipe/", views.team_queue, name="team_queue"),
    path("equipe/demande/<int:pk>/", views.team_request, name="team_request"),
    path("equipe/partenaires/", views.team_partners, name="team_partners"),
    path("equipe/partenaires/nouveau/", views.team_partner_edit, name="team_partner_create"),
    path("equipe/partenaires/<int:pk>/", views.team_partner_edit, name="team_partner_edit"),
    path("equipe/reponses/", views.team_answers, name="team_answers"),
    path("equipe/reponses/nouvelle/", views.team_answer_edit, name="team_answer_create"),
    path("equipe/reponses/<int:pk>/", views.team_answer_edit, name="team_answer_edit"),
    path("equipe/chiffres/", views.team_figures, name="team_figures"),
    path("equipe/chiffres/export.csv", views.team_figures_csv, name="team_figures_csv"),
]
