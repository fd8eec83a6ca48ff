"""Forum URLs: categories, topics, posts, moderation, attachments, unsubscribing."""

from django.urls import path

from ..views import forum as views

urlpatterns = [
    path("", views.index, name="index"),
    path("recherche/", views.search, name="search"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/<int:pk>/", views.moderation_decide, name="moderation_decide"),
    path("categorie/<slug:slug>/", views.category, name="category"),
    path("categorie/<slug:slug>/nouveau/", views.topic_create, name="topic_create"),
    path("categorie/<slug:slug>/suivre/", views.watch_category, name="watch_category"),
    path("categorie/<slug:slug>/rss/", views.CategoryFeed(), name="category_feed"),
    path("sujet/<int:pk>/", views.topic, name="topic"),
    path("sujet/<int:pk>/repondre/", views.reply, name="reply"),
    path("sujet/<int:pk>/suivre/", views.watch_topic, name="watch_topic"),
    path("sujet/<int:pk>/moderer/", views.topic_moderate, name="topic_moderate"),
    path("sujet/<int:pk>/faq/", views.topic_to_faq, name="topic_to_faq"),
    path("message/<int:pk>/", views.post_redirect, name="post"),
    path("message/<int:pk>/modifier/", views.post_edit, name="post_edit"),
    path("message/<int:pk>/historique/", views.post_history, name="post_history"),
    path("message/<int:pk>/signaler/", views.post_flag, name="post_flag"),
    path("message/<int:pk>/supprimer/", views.post_delete, name="post_delete"),
    path("message/<int:pk>/solution/", views.post_solution, name="post_solution"),
    path("piece-jointe/<int:pk>/", views.attachment, name="attachment"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
