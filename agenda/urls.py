from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.index, name="index"),
    path("mois/<int:year>/<int:month>/", views.month, name="month"),
    path("evenement/<int:pk>/", views.event_detail, name="event"),
    path("widget/", views.widget, name="widget"),
    path("proposer/", views.propose, name="propose"),
    path("moderation/", views.moderation_index, name="moderation"),
    path("moderation/flux/<int:pk>/apercu/", views.feed_preview, name="feed_preview"),
    path("moderation/flux/<int:pk>/", views.feed_action, name="feed_action"),
    path("moderation/evenement/<int:pk>/", views.event_action, name="event_action"),
    path("moderation/doublon/<int:pk>/", views.duplicate_decision, name="duplicate_decision"),
]

