"""Potential duplicates against other sources: read through the stored keys, they are the pairs a
comparison with every other element of the map gives (and those of a brute-force comparison)."""

import importlib
import random
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.text import slugify

import pytest

from sources.models import SourceElement
from sources.services import checks, duplicates, feeds
from sources.services.checks import check_content
from tests.sources.conftest import gogocarto_export, record
from tests.sources.factories import SourceElementFactory, SourceFactory

pytestmark = pytest.mark.django_db

LONG = "Association " * 20  # a slug of 240 characters: cut when stored
NAMES = ["La Cagette", "La cagette", "Repair Café", "Amap du coin", f"{LONG} un", f"{LONG} deux", "Ça roule"]
LONG_EMAILS = [f"{'x' * 210}@un.org", f"{'x' * 210}@deux.org"]
LONG_WEBSITES = [f"https://site.org/{'p' * 200}/a", f"https://site.org/{'p' * 200}/b"]
ODD_WEBSITES = ["http://https://double.org", "https://double.org", "https://www.", "HTTP://WWW.Atelier.org//"]


def email(rng):
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(["", "pas-une-adresse", "private", *LONG_EMAILS])
    number = rng.randrange(150)
    return rng.choice([f"contact{number}@exemple.org", f" Contact{number}@Exemple.ORG"])


def website(rng):
    kind = rng.random()
    if kind < 0.3:
        return rng.choice(["", "atelier.org", *ODD_WEBSITES, *LONG_WEBSITES])
    number = rng.randrange(150)
    return rng.choice([f"https://www.site{number}.org/", f"http://site{number}.org", f"site{number}.org"])


def generated_records(rng, prefix, count):
    records = []
    for n in range(count):
        # About 2 km x 2 km: many records of the same name are within 200 m of each other, many are not.
        lat, lng = 43.60 + rng.random() * 0.02, 3.87 + rng.random() * 0.025
        if rng.random() < 0.1:
            lat = lng = None
        extra = {"email": email(rng), "website": website(rng)}
        records.append(record(f"{prefix}{n}", rng.choice(NAMES), lat=lat, lng=lng, **extra))
    # A network's common inbox, in more than SHARED_CONTACT_LIMIT records over all the sources.
    records[0]["email"] = "reseau@national.org"
    return records


def reference_duplicates(*, source, elements):
    """Before the stored keys: every current element of every other active source, slugified here."""
    own = [
        duplicates.Candidate(
            key=(source.pk, element.element_id),
            name_slug=slugify(element.name),
            latitude=element.latitude,
            longitude=element.longitude,
            email_key=element.email.strip().lower() if "@" in element.email else "",
            website_key=duplicates.normalise_website(element.website) if element.website else "",
        )
        for element in elements.values()
    ]
    others = [
        duplicates.Candidate(
            key=(source_id, element_id),
            name_slug=slugify(name),
            latitude=latitude,
            longitude=longitude,
            email_key=email.strip().lower() if "@" in email else "",
            website_key=duplicates.normalise_website(website) if website else "",
        )
        for source_id, element_id, name, latitude, longitude, email, website in SourceElement.objects.filter(
            removed_at__isnull=True, source__is_active=True
        )
        .exclude(source=source)
        .values_list("source_id", "element_id", "name", "latitude", "longitude", "email", "website")
    ]
    return own, others


def brute_force(own, others):
    """The definition, pair by pair: the same slug within 200 m, or a shared e-mail or website that at
    most SHARED_CONTACT_LIMIT records (of the feed and of the other sources) carry."""
    everyone = own + others
    group_sizes = {}
    for candidate in everyone:
        for kind, value in (("email", candidate.email_key), ("website", candidate.website_key)):
            if value:
                group_sizes[kind, value] = group_sizes.get((kind, value), 0) + 1

    def shared(kind, a, b):
        return a and a == b and group_sizes[kind, a] <= duplicates.SHARED_CONTACT_LIMIT

    own_keys = {candidate.key for candidate in own}
    pairs = {}
    for a in own:
        for b in everyone:
            if a.key == b.key or (b.key in own_keys and b.key < a.key):
                continue
            near = (
                a.name_slug
                and a.name_slug == b.name_slug
                and None not in (a.latitude, a.longitude, b.latitude, b.longitude)
                and duplicates.distance_metres(a.latitude, a.longitude, b.latitude, b.longitude)
                <= duplicates.RADIUS_METRES
            )
            reason = (
                "name"
                if near
                else "email"
                if shared("email", a.email_key, b.email_key)
                else "website"
                if shared("website", a.website_key, b.website_key)
                else None
            )
            if reason:
                pairs[tuple(sorted((a.key, b.key)))] = reason
    return pairs


@pytest.fixture
def map_with_other_sources():
    """Three active sources and an inactive one, written by real checks; one source also lost elements
    (removed rows) and has a row made outside a check."""
    rng = random.Random(7)
    sources = [SourceFactory() for _ in range(4)]
    for index, source in enumerate(sources):
        check_content(
            source=source, content=gogocarto_export(generated_records(rng, f"s{index}-", 150)).encode()
        )
    shrunk = generated_records(random.Random(8), "s0-", 150)[:100]
    check_content(source=sources[0], content=gogocarto_export(shrunk).encode())
    assert SourceElement.objects.filter(source=sources[0], removed_at__isnull=False).count() == 50
    sources[3].is_active = False
    sources[3].save()
    SourceElementFactory(
        source=sources[1], name="La Cagette", latitude=43.61, longitude=3.88, email="Contact@cagette.org"
    )
    return rng


@pytest.mark.parametrize("batch_size", [checks.BATCH_SIZE, 7])
def test_pairs_read_through_the_stored_keys_are_those_of_a_whole_map_comparison(
    map_with_other_sources, monkeypatch, batch_size
):
    monkeypatch.setattr(checks, "BATCH_SIZE", batch_size)
    source = SourceFactory()
    content = gogocarto_export(generated_records(map_with_other_sources, "own-", 200)).encode()
    elements = feeds.validate(feeds.parse(content, declared_format="auto").records).elements

    pairs = checks.find_duplicates(source=source, elements=elements)

    own, others = reference_duplicates(source=source, elements=elements)
    assert pairs == duplicates.find_pairs(own, others=others)
    assert pairs == brute_force(own, others)
    # The set exercises every case: each reason, pairs within the feed and with other sources, and the
    # keys cut when stored (a long slug, e-mail or website shared only by its first 200 characters).
    reasons = {(reason, a[0] == b[0]) for (a, b), reason in pairs.items()}
    assert reasons == {(reason, same) for reason in ("name", "email", "website") for same in (True, False)}
    keys = {candidate.key: candidate for candidate in own + others}
    assert {keys[a].name_slug for a, _b in pairs} >= {slugify(f"{LONG} un"), slugify(f"{LONG} deux")}
    fetched = checks.other_candidates(source=source, own=own)
    assert len(fetched) < len(others)  # only the elements sharing a key are read
    assert not any(candidate.key[0] == source.pk for candidate in fetched)
    run = check_content(source=source, content=content)
    assert run.counters["potentialDuplicatesCount"] == len(pairs)


def test_common_addresses_are_counted_over_every_source(db):
    """An address shared by 11 records over two sources is a network's, even if the feed has only two."""
    other = SourceFactory()
    for _n in range(9):
        SourceElementFactory(source=other, latitude=None, longitude=None, email="reseau@national.org")
    SourceElementFactory(source=other, latitude=None, longitude=None, email="petit@reseau.org")
    records = [record(str(n), f"Nom {n}", email="Reseau@national.org") for n in range(2)]
    records.append(record("3", "Nom 3", email="petit@reseau.org"))
    run = check_content(source=SourceFactory(), content=gogocarto_export(records).encode())
    assert run.counters["potentialDuplicatesCount"] == 1
    assert run.changes["duplicates"][0][3] == "email"


def test_keys_are_stored_by_checks_and_by_save(db):
    source = SourceFactory()
    records = [record("1", "La Cagette", email=" Contact@Cagette.ORG", website="https://www.cagette.org/")]
    check_content(source=source, content=gogocarto_export(records).encode())

    def stored():
        return list(SourceElement.objects.values_list(*SourceElement.KEY_FIELDS))

    assert stored() == [("la-cagette", "contact@cagette.org", "cagette.org")]
    records = [record("1", "Épicerie Vrac", email="", website="http://vrac.org")]
    check_content(source=source, content=gogocarto_export(records).encode())
    assert stored() == [("epicerie-vrac", "", "vrac.org")]

    element = SourceElementFactory(name="Repair Café", email="pas une adresse", website="x" * 300)
    assert (element.name_slug, element.email_key, element.website_key) == ("repair-cafe", "", "x" * 200)
    element.name = "Atelier vélo"
    element.save(update_fields=["name"])
    element.refresh_from_db()
    assert element.name_slug == "atelier-velo"


def test_the_migration_fills_the_keys_of_existing_rows_in_batches(db, monkeypatch):
    migration = importlib.import_module("sources.migrations.0004_element_duplicate_keys")
    monkeypatch.setattr(migration, "BATCH_SIZE", 2)
    elements = [SourceElementFactory(name=f"Élément {n}", email=f"A{n}@B.org") for n in range(5)]
    SourceElement.objects.update(name_slug="", email_key="", website_key="old")
    with CaptureQueriesContext(connection) as queries:
        migration.fill_keys(apps, SimpleNamespace(connection=connection))
    assert list(SourceElement.objects.order_by("pk").values_list(*SourceElement.KEY_FIELDS)) == [
        (f"element-{n}", f"a{n}@b.org", "") for n in range(5)
    ]
    assert len(elements) == 5 and len(queries) == 7  # 3 reads and their updates, then a read of nothing
