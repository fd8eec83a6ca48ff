"""Queries and time of the kits pages on the local database (after `manage.py load_demo`).

Run: .venv/bin/python manage.py shell < bench/kits_pages.py
"""

import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.demo import demo_user
from kits.models import KitIndexPage, KitPage

client = Client(HTTP_HOST="localhost")
index = KitIndexPage.objects.filter(locale__language_code="fr").first()
kit = KitPage.objects.live().filter(locale__language_code="fr").first()
PAGES = [
    ("kit index", index.url),
    ("kit page", kit.url),
    ("sessions", "/kits/formations/"),
    ("FAQ", "/kits/faq/"),
    ("ICS feed", "/kits/formations.ics"),
]


def measure(label, url, runs=5):
    client.get(url, follow=True)
    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, follow=True)
            timings.append(time.perf_counter() - start)
    timings.sort()
    print(f"{label:<22} {response.status_code} {len(queries.captured_queries):>3} queries  "
          f"median {timings[len(timings) // 2] * 1000:.0f} ms  ({url})")  # fmt: skip


for label, url in PAGES:
    measure(label, url)
client.force_login(demo_user("ambassadrice"))
measure("kit page (signed in)", kit.url)
measure("my learning", "/kits/mon-parcours/")
