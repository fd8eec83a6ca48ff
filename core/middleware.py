"""Middleware of the kernel.

1. Turns a refusal from a service into something a person can read, for every app.

A view that knows better catches `core.errors.ServiceError` itself (to show the message next to its form);
whatever it lets through arrives here instead of becoming a 500.

2. Security headers on every response: Content-Security-Policy (django-csp) and Permissions-Policy.

The portal's own pages run no inline script: `script-src 'self'` (plus a per-request nonce as soon as a
template writes `{{ request.csp_nonce }}`). Wagtail's and Django's admins write inline scripts and styles
of their own, so under `ADMIN_PATH_PREFIXES` they get `PORTAL_ADMIN_CSP` instead, which allows inline code
but still only from this site. A view marked `@xframe_options_exempt` (the agenda widget) may be framed by
other sites, as the flag says; every other page may not.
"""

import logging
from dataclasses import replace as replace_parts
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from csp.middleware import CSPMiddleware, PolicyParts

from core.errors import ServiceError

logger = logging.getLogger(__name__)


class ServiceErrorMiddleware:
    """The message, then back to the page the person came from (same site only); without such a page, a
    page with the message and the error's status. Clients asking for JSON get `{"error": message}`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ServiceError):
            return None
        logger.info("%s refused %s %s: %s", type(exception).__name__, request.method, request.path, exception)
        message = str(exception.message)
        if request.accepts("application/json") and not request.accepts("text/html"):
            return JsonResponse({"error": message}, status=exception.status)
        back = request.headers.get("referer", "")
        if back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            messages.error(request, message)
            return redirect(back)
        return render(request, "core/service_error.html", {"message": message}, status=exception.status)


ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only:
            return parts
        media_origin = _origin(settings.MEDIA_URL)
        if media_origin:  # uploads served from another host (an S3 bucket, a CDN)
            parts = replace_parts(
                parts, update={**(parts.update or {}), "img-src": [media_origin], "media-src": [media_origin]}
            )
        if parts.config is None and request.path_info.startswith(ADMIN_PATH_PREFIXES):
            # A nonce would make browsers ignore 'unsafe-inline', which the admins need.
            parts = replace_parts(parts, config=settings.PORTAL_ADMIN_CSP, nonce=None)
        if getattr(response, "xframe_options_exempt", False):
            parts = replace_parts(parts, replace={**(parts.replace or {}), "frame-ancestors": ["*"]})
        return parts


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in {"http", "https"} and parts.netloc else None


class PermissionsPolicyMiddleware:
    """No page of the portal uses the camera, the microphone, geolocation, payment or USB: say so, so an
    embedded frame or an injected script cannot ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PORTAL_PERMISSIONS_POLICY)
        return response
