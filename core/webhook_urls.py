"""Machine-to-machine endpoints (e-mail provider tracking).

Anymail accepts unauthenticated posts when no `WEBHOOK_SECRET` is configured (it only warns): anyone could
then suppress any address. Here every anymail endpoint answers 404 until a secret is set, and anymail
checks the provider's HTTP basic auth against it on each post."""

import copy
from functools import wraps

from django.http import Http404
from django.urls import include, path

from anymail import urls as anymail_urls
from anymail.utils import get_anymail_setting


def webhook_secret() -> list[str]:
    """The configured webhook secret(s) (ANYMAIL["WEBHOOK_SECRET"] or ANYMAIL_WEBHOOK_SECRET), or []."""
    secret = get_anymail_setting("webhook_secret", default=None)
    if not secret:
        return []
    return [secret] if isinstance(secret, str) else list(secret)


def require_webhook_secret(view):
    @wraps(view)  # keeps anymail's csrf_exempt
    def guarded(request, *args, **kwargs):
        if not webhook_secret():
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


def _guarded(pattern):
    pattern = copy.copy(pattern)  # same route (anymail mixes path() and re_path()), guarded view
    pattern.callback = require_webhook_secret(pattern.callback)
    return pattern


urlpatterns = [
    path(
        "anymail/",
        include(
            (
                [_guarded(pattern) for pattern in anymail_urls.urlpatterns],
                anymail_urls.app_name,
            )
        ),
    ),
]
