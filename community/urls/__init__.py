"""URLs of the community app (under /communaute/), one module per domain (as `models/`)."""

from . import ambassadors, forum, groups, questionnaire

app_name = "community"

urlpatterns = forum.urlpatterns + ambassadors.urlpatterns + groups.urlpatterns + questionnaire.urlpatterns
