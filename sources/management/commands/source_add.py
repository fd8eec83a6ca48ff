"""Create or update a source from the command line."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from sources.models import Source
from sources.services.registry import source_add


class Command(BaseCommand):
    help = "Crée ou met à jour une source (flux de la carte, clé de source, mainteneur·euses)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--source-key", required=True)
        parser.add_argument("--feed-url", required=True)
        parser.add_argument("--format", default="auto", choices=Source.FeedFormat.values)
        parser.add_argument("--map-url", default="")
        parser.add_argument("--maintainer", action="append", default=[], metavar="EMAIL")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")

    def handle(self, *args, **options):
        try:
            source, created = source_add(
                slug=options["slug"],
                name=options["name"],
                source_key=options["source_key"],
                feed_url=options["feed_url"],
                feed_format=options["format"],
                map_url=options["map_url"],
                maintainer_emails=options["maintainer"],
            )
        except (ValidationError, User.DoesNotExist) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from None
        webhook = settings.SITE_URL + source.report_webhook_path()
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "slug": source.slug,
                        "id": source.pk,
                        "created": created,
                        "name": source.name,
                        "source_key": source.source_key,
                        "feed_url": source.feed_url,
                        "format": source.feed_format,
                        "map_url": source.effective_map_url,
                        "maintainers": sorted(source.maintainers.values_list("email", flat=True)),
                        "dashboard_url": settings.SITE_URL + source.get_absolute_url(),
                        "report_webhook_url": webhook,
                    },
                    ensure_ascii=False,
                )
            )
        else:
            verb = "créée" if created else "mise à jour"
            self.stdout.write(
                f"Source {source.slug} {verb}. Adresse de signalement pour GoGoCarto : {webhook}"
            )
