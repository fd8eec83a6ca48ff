"""Views of the site frame: errors, rate limits, the web-app manifest and service worker, health."""

from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from core.redirects import safe_next


def login_redirect(request):
    """The admins' login pages lead to the portal's (allauth) login, keeping where to go next.

    Someone already signed in lands here when their account may not use that admin: they get a clear
    refusal (allauth's login page would send them straight back to the admin, in a loop)."""
    if request.user.is_authenticated:
        reason = _(
            "Votre compte (%(email)s) n’a pas accès à l’administration. Si votre rôle devrait vous la "
            "donner, écrivez à l’équipe, ou connectez-vous avec un autre compte."
        ) % {"email": request.user.email}
        return render(request, "403.html", {"reason": reason}, status=403)
    target = request.GET.get(REDIRECT_FIELD_NAME, "/admin/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/admin/"
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")


def frontend_login_redirect(request):
    """Wagtail's front-end login (`/_util/login/`, shown for pages restricted to signed-in people) would open
    a session with a password alone, skipping two-factor authentication, allauth's rate limits and e-mail
    verification: it leads to allauth's login instead, keeping a safe `next`. Nothing is accepted here."""
    target = safe_next(request, default="/")
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: target})}")


# Fields never shown back on the 429 page: secrets, tokens, the honeypot.
NOT_KEPT = {"csrfmiddlewaretoken", "password", "password1", "password2", "jeton_envoi", "site_web_entreprise"}


def rate_limited(request, exception=None):
    """The 429 page. What the person typed in a longer text field is shown back, so it is not lost."""
    kept = []
    if request.method == "POST":
        kept = [
            value
            for name, value in request.POST.items()
            if name not in NOT_KEPT and "password" not in name and len(value.strip()) >= 20
        ]
    return render(request, "429.html", {"kept": kept}, status=429)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors here: the database may be what failed.
    return HttpResponse(_server_error_body(), status=500)


def _server_error_body() -> bytes:
    from django.template.loader import get_template

    return get_template("500.html").render({}).encode()


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    return JsonResponse(
        {
            "name": "Transiscope",
            "short_name": "Transiscope",
            "description": _("Le portail des sources, ambassadeur·rices et collectifs de Transiscope."),
            "lang": "fr",
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#1d5d3a",
            "icons": [
                {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            ],
        },
        content_type="application/manifest+json",
    )


@require_GET
@cache_control(max_age=0, no_cache=True)
def service_worker(request):
    response = render(request, "sw.js", content_type="application/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
@cache_control(no_store=True)
def readyz(request):
    """Ready for traffic: database, cache and task broker reachable, no migration left to apply.

    503 otherwise, for a load balancer to stop sending requests here (`/healthz` only says "alive")."""
    from core.readiness import readiness_checks

    checks = readiness_checks()
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
