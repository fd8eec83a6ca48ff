"""Receivers of the home app: the home page's key figures are forgotten when what they count changes."""

from django.apps import apps
from django.db.models.signals import post_delete, post_save

# (app label, model): every model a `key_figures()` of SECTION_APPS counts.
COUNTED_MODELS = [
    ("agenda", "Event"),
    ("agenda", "AgendaFeed"),
    ("kits", "KitPage"),
    ("kits", "KitProgress"),
    ("sources", "Source"),
    ("sources", "SourceElement"),
    ("stories", "StoryPage"),
    ("community", "AmbassadorProfile"),
    ("community", "Topic"),
    ("support", "SupportRequest"),
]


def _forget(sender, **kwargs):
    from home.selectors import forget_key_figures

    forget_key_figures()


def _forget_after_a_finished_run(sender, instance, **kwargs):
    """A feed check writes its elements in bulk, then finishes its run."""
    if instance.state in sender.FINISHED_STATES:
        _forget(sender)


def connect() -> None:
    for app_label, model_name in COUNTED_MODELS:
        if apps.is_installed(app_label):
            model = apps.get_model(app_label, model_name)
            post_save.connect(_forget, sender=model, dispatch_uid=f"home.key_figures.save.{model_name}")
            post_delete.connect(_forget, sender=model, dispatch_uid=f"home.key_figures.delete.{model_name}")
    if apps.is_installed("sources"):
        run = apps.get_model("sources", "ImportRun")
        post_save.connect(_forget_after_a_finished_run, sender=run, dispatch_uid="home.key_figures.run")
