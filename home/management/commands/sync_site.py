"""Make Wagtail's default Site say what SITE_URL says (host, port, name), so every absolute link Wagtail
builds (canonical, og:url, notifications) starts with the portal's one public address."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand

from wagtail.models import Site


class Command(BaseCommand):
    help = "Aligne le site Wagtail par défaut sur SITE_URL (hôte, port, nom)."

    def handle(self, *args, **options):
        parts = urlsplit(settings.SITE_URL)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            self.stderr.write("No default Wagtail site yet: run load_demo or create the home page first.")
            return
        site.hostname, site.port, site.site_name = parts.hostname, port, "Transiscope"
        site.save()
        self.stdout.write(f"Wagtail site: {site.root_url}")
