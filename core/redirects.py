"""Where a form or link asks to go next (`?next=`, `<input name="next">`): only ever to this site."""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, *, default: str = "/", field: str = REDIRECT_FIELD_NAME) -> str:
    """The request's `next` (form, then query string) when it stays on this site over the same scheme,
    else `default`. Refuses `//evil.example`, `/\\evil.example`, `https://evil.example`, `javascript:`."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def redirect_to_next(request, fallback, *args, **kwargs):
    """Redirect to the request's safe `next`, else to `fallback` (a URL, or a URL name with its arguments)."""
    target = safe_next(request, default="")
    return redirect(target) if target else redirect(fallback, *args, **kwargs)
