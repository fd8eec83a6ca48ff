from django.urls import path

from stories import feeds, views

app_name = "stories"

urlpatterns = [
    path("", views.index, name="index"),
    path("flux/rss/", feeds.StoriesRssFeed(), name="rss"),
    path("flux/atom/", feeds.StoriesAtomFeed(), name="atom"),
    path("partager/mastodon/", views.share_mastodon, name="share_mastodon"),
    path("approbation/<str:token>/", views.source_approval, name="source_approval"),
    path("temoignages/photos/<int:pk>/", views.submission_photo, name="submission_photo"),
]
