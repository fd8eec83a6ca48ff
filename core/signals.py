"""Receivers of the kernel: the e-mail provider's tracking webhook feeds the suppression list."""

from django.dispatch import receiver

from anymail.signals import tracking


@receiver(tracking, dispatch_uid="core.record_tracking_event")
def handle_tracking_event(sender, event, esp_name, **kwargs):
    from core.services import record_tracking_event

    record_tracking_event(event=event)
