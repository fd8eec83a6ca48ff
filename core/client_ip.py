"""The address of the person behind a request, when the site runs behind reverse proxies.

One setting decides: `TRUSTED_PROXY_COUNT` (environment variable, default 0), the number of proxies of our
own in front of Django that each append to `X-Forwarded-For`. With 0, `REMOTE_ADDR` is the client and the
header is ignored (anyone can write it). With n, the client is the n-th address from the right: the ones
further left were written by the client and cannot be trusted. Rate limits (django-ratelimit's `ip` key,
allauth's login limits) all key on `client_ip()`."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < count:
        # Fewer hops than our proxies add: the request did not come through them all.
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
