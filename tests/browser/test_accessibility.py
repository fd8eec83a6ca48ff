"""Accessibility in a real browser: axe-core on the portal's pages, in French and English, with the demo
content; then what axe cannot judge, by hand: the skip link, the visible focus, the menu without
JavaScript on a 375 px wide screen.

axe-core comes bundled with axe-playwright-python (no network). The portal promises WCAG 2.2 AA: every
"serious" or "critical" violation fails the test; "moderate" and "minor" ones are printed (run with -s).
"""

from collections import defaultdict
from importlib import import_module
from io import StringIO

from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import pytest

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Rules outside WCAG that catch what the promise covers too: heading order, landmarks, one <h1>.
BEST_PRACTICE = ["best-practice"]
BLOCKING = {"serious", "critical"}
# No element is left out of the check: the portal has no third-party widget in these pages. Should one
# come (a map, a video player), exclude its container here with the reason, never a whole rule.
EXCLUDED: list[str] = []
# Forms also checked once sent empty, with a wrong e-mail address: errors tied to their fields.
SENT_WITH_ERRORS = {"support request", "newsletter", "signup", "report form"}
# Every id an ARIA attribute points to must exist (axe only lists a missing one as "to review").
MISSING_REFERENCES = """(() => {
  const missing = [];
  for (const attribute of ["aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage"]) {
    for (const element of document.querySelectorAll(`[${attribute}]`)) {
      for (const id of element.getAttribute(attribute).split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) missing.push(`${element.localName} ${attribute}="${id}"`);
      }
    }
  }
  return missing;
})()"""


def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _kits_options_back() -> None:
    """The kits' audiences and formats come from a data migration. When this is the session's first
    browser test and a transactional test ran just before it, the serialized rollback has not put them
    back yet (seen with `pytest tests/home/test_form_page.py tests/browser/test_accessibility.py`): the
    migration's own idempotent function does, so the demo's kits load."""
    from django.apps import apps

    import_module("kits.migrations.0002_options_and_schedule").create(apps, None)


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    host = live_server.url.removeprefix("http://").split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )


def _demo_urls(language: str) -> tuple[dict[str, str], dict[str, str]]:
    """The pages to check, by name: (anonymous, signed in as a source maintainer)."""
    from wagtail.models import Locale

    from agenda.models import Event
    from community.models import Topic
    from home.models import HomePage, StandardPage
    from kits.models import KitPage, TrainingSession
    from sources.models import Source
    from stories.models import SourcesShowcasePage, StoryIndexPage, StoryPage

    locale = Locale.objects.get(language_code=language)
    prefix = "" if language == "fr" else "/en"
    now = timezone.localtime()
    event = Event.objects.filter(status="confirmed", start__gte=timezone.now()).order_by("start").first()
    session = TrainingSession.objects.order_by("pk").first()
    anonymous = {
        "home": HomePage.objects.get(locale=locale).url,
        "standard page": StandardPage.objects.live().get(locale=locale, slug__in=["a-propos", "about"]).url,
        "kits index": f"{prefix}/kits/",
        "kit": KitPage.objects.live().filter(locale=locale).order_by("path").first().url,
        "training session": f"{prefix}/kits/formations/{session.pk}/",
        "faq": f"{prefix}/kits/faq/",
        "agenda": f"{prefix}/agenda/",
        "agenda month": f"{prefix}/agenda/mois/{now.year}/{now.month}/",
        "event": f"{prefix}/agenda/evenement/{event.pk}/",
        "stories index": StoryIndexPage.objects.live().get(locale=locale).url,
        "story": StoryPage.objects.live().filter(locale=locale).order_by("path").first().url,
        "sources": f"{prefix}/sources/",
        "sources showcase": SourcesShowcasePage.objects.live().get(locale=locale).url,
        "ambassadors": f"{prefix}/communaute/ambassadeurs/",
        "support request": f"{prefix}/accompagnement/",
        "newsletter": f"{prefix}/lettre/",
        "signup": f"{prefix}/comptes/signup/",
        "login": f"{prefix}/comptes/login/",
        "report form": f"{prefix}/sources/signaler/",
        "404": f"{prefix}/cette-page-n-existe-pas/",
        "search": "/recherche/?q=velo" if language == "fr" else "/en/search/?q=bike",
    }
    topic = Topic.objects.filter(category__slug="entraide-technique").order_by("pk").first()
    signed_in = {
        "forum": f"{prefix}/communaute/",
        "topic": f"{prefix}/communaute/sujet/{topic.pk}/",
        "account": f"{prefix}/compte/",
        "source dashboard": f"{prefix}/sources/{Source.objects.get(slug='alternatiba').slug}/",
        "403": f"{prefix}/accompagnement/equipe/",  # the support team's queue
    }
    return anonymous, signed_in


def _send_with_errors(page) -> None:
    """Send the page's main form empty (but for a wrong e-mail address), past the browser's own checks."""
    forms = page.locator("main form")
    sizes = [
        forms.nth(index).locator("input:not([type=hidden]), select, textarea").count()
        for index in range(forms.count())
    ]
    form = forms.nth(sizes.index(max(sizes)))
    form.evaluate(
        "form => { form.noValidate = true;"
        " for (const input of form.querySelectorAll('input[type=email]')) input.value = 'pas-une-adresse'; }"
    )
    with page.expect_navigation():
        form.locator("[type=submit]").last.click()
    assert page.locator("[aria-invalid=true]").count() >= 1, f"{page.url}: no field marked invalid"


def _audit(page, axe, url: str, found: dict, problems: list) -> None:
    """axe on the page as it is, the ARIA references, then the page's width on a 375 px wide screen."""
    context = {"exclude": [[selector] for selector in EXCLUDED]} if EXCLUDED else None
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS + BEST_PRACTICE}, "resultTypes": ["violations"]}
    for violation in axe.run(page, context=context, options=options).response["violations"]:
        entry = found[violation["id"]]
        entry["impact"] = violation["impact"]
        entry["help"] = violation["help"]
        entry["count"] += len(violation["nodes"])
        entry["pages"].add(url)
        for node in violation["nodes"][:3]:
            target = " ".join(map(str, node["target"]))
            entry["nodes"].add(f"{url} {target}: {node['failureSummary'][:160]}")
    problems.extend(
        f"{url}: no element with the id of {missing}" for missing in page.evaluate(MISSING_REFERENCES)
    )
    page.set_viewport_size({"width": 375, "height": 800})
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 375:
        problems.append(f"{url}: {width} px wide on a 375 px screen (horizontal scroll)")
    page.set_viewport_size({"width": 1280, "height": 800})


def _check(page, axe, url: str, name: str, found: dict, problems: list) -> None:
    response = page.goto(url)
    assert response is not None
    expected = {"404": 404, "403": 403}.get(name, 200)
    assert response.status == expected, f"{url}: {response.status}"
    assert name in ("login", "signup") or "/comptes/" not in page.url, f"{url} went to {page.url}"
    _audit(page, axe, url, found, problems)
    if name in SENT_WITH_ERRORS:
        _send_with_errors(page)
        _audit(page, axe, f"{url} (sent with errors)", found, problems)


def _report(found: dict) -> str:
    lines = []
    for rule, entry in sorted(found.items(), key=lambda item: (item[1]["impact"], item[0])):
        lines.append(
            f"{rule} ({entry['impact']}, {entry['count']} elements): {entry['help']}\n"
            f"    pages: {', '.join(sorted(entry['pages']))}"
        )
        lines.extend(f"    - {node}" for node in sorted(entry["nodes"])[:8])
    return "\n".join(lines)


def test_pages_meet_wcag_aa_in_french_and_english(live_site, page):
    from wagtail.models import Site

    from accounts.demo import demo_user

    _kits_options_back()
    call_command("load_demo", stdout=StringIO())
    host, port = live_site.url.removeprefix("http://").split(":")
    Site.objects.filter(is_default_site=True).update(hostname=host, port=int(port))
    axe = _axe()
    found = defaultdict(lambda: {"impact": "", "help": "", "count": 0, "pages": set(), "nodes": set()})
    problems = []
    urls = {language: _demo_urls(language) for language in ("fr", "en")}
    checked = 0
    for language in ("fr", "en"):
        for name, url in urls[language][0].items():
            _check(page, axe, url, name, found, problems)
            checked += 1
    _sign_in(page, live_site, demo_user("mainteneur"))
    for language in ("fr", "en"):
        for name, url in urls[language][1].items():
            _check(page, axe, url, name, found, problems)
            checked += 1
    assert checked == 52  # every page of _demo_urls, both languages (the search page included)
    blocking = {rule: entry for rule, entry in found.items() if entry["impact"] in BLOCKING}
    others = {rule: entry for rule, entry in found.items() if entry["impact"] not in BLOCKING}
    if others:
        print("\nModerate or minor accessibility findings:\n" + _report(others))
    assert not blocking, "Serious or critical accessibility violations:\n" + _report(blocking)
    assert not problems, "\n".join(problems)


@pytest.fixture
def _home(live_site):
    """The demo's home page (and its English version), with its introduction and links."""
    from wagtail.models import Site

    call_command("load_demo", only=["accounts", "home"], stdout=StringIO())
    host, port = live_site.url.removeprefix("http://").split(":")
    Site.objects.filter(is_default_site=True).update(hostname=host, port=int(port))


def test_skip_link_leads_keyboard_users_to_the_main_content(page, _home):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#contenu"
    assert skip.is_visible()  # shown when focused
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    assert page.url.endswith("#contenu")
    assert page.evaluate("document.activeElement.id") == "contenu"  # the <main> itself has the focus
    # The next Tab goes on from there (the main content's first link, or the footer when the main
    # content has none), never back into the header.
    page.keyboard.press("Tab")
    assert page.evaluate(
        "(() => { const main = document.querySelector('main'), active = document.activeElement;"
        " return main.contains(active)"
        " || Boolean(main.compareDocumentPosition(active) & Node.DOCUMENT_POSITION_FOLLOWING); })()"
    )
    assert page.evaluate("document.activeElement.closest('header') === null")


def test_focus_is_visible_on_links_and_buttons(page, _home):
    page.goto("/")
    outlines = []
    for _ in range(8):
        page.keyboard.press("Tab")
        outlines.append(
            page.evaluate(
                "(() => { const s = getComputedStyle(document.activeElement);"
                " return [document.activeElement.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
            )
        )
    assert all(style != "none" and width >= 2 for _tag, style, width in outlines), outlines


def test_menu_works_without_javascript_at_375_pixels(browser, live_server, _home, settings):
    settings.SITE_URL = live_server.url
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        java_script_enabled=False,
        viewport={"width": 375, "height": 700},
    )
    page = context.new_page()
    try:
        page.goto("/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        # Every entry of the main menu is on screen and inside the viewport: no toggle to open first.
        navigation = page.get_by_role("navigation", name="Navigation principale")
        links = navigation.get_by_role("link")
        assert links.count() >= 6
        for index in range(links.count()):
            box = links.nth(index).bounding_box()
            assert links.nth(index).is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 375
        navigation.get_by_role("link", name="Agenda").click()
        page.wait_for_url("**/agenda/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
