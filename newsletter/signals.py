from django.db.models.signals import post_save
from django.dispatch import receiver

from core.models import SuppressedAddress
from newsletter import services


@receiver(post_save, sender=SuppressedAddress, dispatch_uid="newsletter_suppressed_address")
def stop_writing_to_suppressed_address(sender, instance, raw=False, **kwargs):
    if not raw:
        services.suppressed_address_recorded(email=instance.email)
