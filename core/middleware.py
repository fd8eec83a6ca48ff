"""Turns a refusal from a service into something a person can read, for every app.

A view that knows better catches `core.errors.ServiceError` itself (to show the message next to its form);
whatever it lets through arrives here instead of becoming a 500."""

import logging

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

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
