"""The one way the portal fetches from outside: sources' feeds, agenda calendars, the map's API.

    result = fetch(url=url, etag=etag, last_modified=last_modified, max_bytes=..., accept="text/calendar")

What every outside call gets here, and only here (issues 13 and 14):

- **http and https only.** The host of every hop is resolved once; unless
  `settings.FETCH_ALLOW_PRIVATE_ADDRESSES`, every address it resolves to must be public (no loopback,
  private, shared, link-local, multicast, reserved or unspecified address, IPv4 or IPv6, nor one of those
  inside an IPv4-mapped, 6to4, Teredo or NAT64 address), and the connection goes to the address that was
  checked, so a DNS answer cannot change between the check and the connect. TLS still checks the name
  (SNI and certificate), and the `Host` header is the name.
- **Redirects are followed here**, at most `MAX_REDIRECTS`, each `Location` checked like the first URL.
- **Time:** a timeout per network operation and a total wall-clock deadline for the whole fetch, retries
  included. A watchdog shuts the socket down at the deadline, so a server that drips a byte at a time is
  cut there, whether it drips headers or body.
- **Size:** the body is decompressed here, in bounded steps, and cut past `max_bytes` of decompressed data
  (a gzip bomb costs at most `max_bytes`).
- Conditional GET (ETag / Last-Modified), our User-Agent, and retries with a growing pause for what is
  worth retrying at once (refused or reset connections, HTTP 429, 502, 503, 504). A read timeout is not
  retried: the server is up but slow, asking again triples the wait.
- Proxies from the environment are not used (a proxy would connect to an address we did not check).

Failures raise `FetchError(reason, detail)`. `reason` is one of the fixed messages below, in French (a
msgid: stored as data and translated when shown, with `gettext(reason)` or `{% translate run.reason %}`),
and says nothing about the inside of the network: it may be shown on public pages. `detail` says what
exactly happened (host, address, figures), already translated, for the source's maintainers.
"""

import contextlib
import ipaddress
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

import certifi
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util.ssl_match_hostname import CertificateError as HostnameMismatch

INVALID_URL = gettext_noop("Adresse invalide : seules les adresses http et https sont acceptées")
REFUSED_ADDRESS = gettext_noop("Adresse refusée : le serveur est sur un réseau local, privé ou réservé")
NAME_NOT_FOUND = gettext_noop("Connexion impossible : nom de domaine introuvable")
CONNECTION_FAILED = gettext_noop("Connexion impossible au serveur")
TLS_FAILED = gettext_noop("Connexion impossible : erreur de certificat TLS")
TIMEOUT = gettext_noop("Délai dépassé : le serveur n'a pas répondu à temps")
DEADLINE = gettext_noop("Délai dépassé : le téléchargement a pris trop de temps")
TOO_LARGE = gettext_noop("Flux trop volumineux")
HTTP_ERROR = gettext_noop("Le serveur a répondu par une erreur")
TOO_MANY_REDIRECTS = gettext_noop("Trop de redirections")
BAD_RESPONSE = gettext_noop("Réponse du serveur illisible ou interrompue")
REASONS = (
    INVALID_URL, REFUSED_ADDRESS, NAME_NOT_FOUND, CONNECTION_FAILED, TLS_FAILED, TIMEOUT, DEADLINE,
    TOO_LARGE, HTTP_ERROR, TOO_MANY_REDIRECTS, BAD_RESPONSE,
)  # fmt: skip

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 502, 503, 504})
CHUNK_BYTES = 64 * 1024
PROGRESS_EVERY_SECONDS = 5.0
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchError(Exception):
    """A fetch that did not give a body. `reason`: a fixed msgid (see the module docstring); `detail`: what
    exactly, for maintainers; `transient`: worth trying again later (network, timeout, 5xx, 429)."""

    def __init__(
        self,
        reason: str,
        detail: str = "",
        *,
        transient: bool = False,
        http_status: int | None = None,
        retry_now: bool = False,
    ):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = " ".join(str(detail).split())[:500]
        self.transient = transient
        self.http_status = http_status
        self.retry_now = retry_now

    @property
    def message(self) -> str:
        """The reason in the current language."""
        return _(self.reason)

    def __str__(self) -> str:
        return f"{self.message} ({self.detail})" if self.detail else self.message


@dataclass
class FetchResult:
    content: bytes = b""
    http_status: int | None = None
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False
    url: str = ""  # after redirects
    content_type: str = ""

    @property
    def bytes_read(self) -> int:
        return len(self.content)


def is_refused_address(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether the fetcher refuses to connect to `address` when private addresses are not allowed."""
    ip = ipaddress.ip_address(address.split("%", 1)[0] if isinstance(address, str) else address)
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return is_refused_address(ip.ipv4_mapped)
        embedded = [ip.sixtofour] if ip.sixtofour is not None else []
        embedded += list(ip.teredo or ())
        if ip in NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if any(is_refused_address(inner) for inner in embedded):
            return True
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def fetch(
    *,
    url: str,
    etag: str = "",
    last_modified: str = "",
    accept: str = "*/*",
    max_bytes: int | None = None,
    timeout: float | None = None,
    deadline: float | None = None,
    allow_private: bool | None = None,
    on_progress: Callable[[], None] | None = None,
) -> FetchResult:
    """GET `url` under the rules of the module docstring. Raises `FetchError`, nothing else.

    `timeout`: seconds per network operation (`PORTAL_HTTP_TIMEOUT`); `deadline`: seconds for the whole
    fetch (`FETCH_DEADLINE`); `max_bytes`: decompressed body (`FETCH_MAX_BYTES`); `on_progress` is called
    every few seconds while the body arrives (a run's heartbeat)."""
    timeout = float(timeout or settings.PORTAL_HTTP_TIMEOUT)
    ends_at = time.monotonic() + float(deadline or settings.FETCH_DEADLINE)
    if allow_private is None:
        allow_private = settings.FETCH_ALLOW_PRIVATE_ADDRESSES
    limits = _Limits(
        timeout=timeout,
        ends_at=ends_at,
        max_bytes=int(max_bytes or settings.FETCH_MAX_BYTES),
        allow_private=bool(allow_private),
        on_progress=on_progress,
    )
    headers = {"User-Agent": settings.PORTAL_HTTP_USER_AGENT, "Accept": accept, "Accept-Encoding": "gzip"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    retries, pause = int(settings.FETCH_RETRIES), float(settings.FETCH_RETRY_BACKOFF)
    attempt = 0
    while True:
        try:
            result = _follow(url=url, headers=headers, limits=limits)
        except FetchError as error:
            wait = pause * 2**attempt
            if not error.retry_now or attempt >= retries or time.monotonic() + wait >= ends_at:
                raise
            attempt += 1
            time.sleep(wait)
            continue
        if result.not_modified:
            result.etag = result.etag or etag
            result.last_modified = result.last_modified or last_modified
        return result


@dataclass
class _Limits:
    timeout: float
    ends_at: float
    max_bytes: int
    allow_private: bool
    on_progress: Callable[[], None] | None

    def remaining(self) -> float:
        left = self.ends_at - time.monotonic()
        if left <= 0:
            raise _deadline_error()
        return left


def _deadline_error() -> FetchError:
    return FetchError(DEADLINE, _("téléchargement interrompu à la limite de temps"), transient=True)


@dataclass
class _Target:
    scheme: str
    host: str  # ASCII (IDNA), without brackets
    port: int
    host_header: str
    path: str


def _target(url: str) -> _Target:
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchError(INVALID_URL, url[:200]) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(INVALID_URL, url[:200])
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise FetchError(INVALID_URL, url[:200]) from None
    default_port = 443 if scheme == "https" else 80
    shown = f"[{host}]" if ":" in host else host
    host_header = shown if port in (None, default_port) else f"{shown}:{port}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(scheme=scheme, host=host, port=port or default_port, host_header=host_header, path=path)


def _resolve(target: _Target, limits: _Limits) -> list[str]:
    """The addresses to connect to, in the resolver's order, once every one was checked."""
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(NAME_NOT_FOUND, target.host, transient=True) from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(NAME_NOT_FOUND, target.host, transient=True)
    if not limits.allow_private:
        for address in addresses:
            if is_refused_address(address):
                raise FetchError(
                    REFUSED_ADDRESS,
                    _("%(host)s correspond à l'adresse %(address)s, qui n'est pas publique")
                    % {"host": target.host, "address": address},
                )
    return addresses


def _open(*, target: _Target, addresses: list[str], headers: dict, limits: _Limits) -> "_Exchange":
    """The exchange with the first checked address that accepts the connection (a name may resolve
    to an IPv6 address the server does not listen on, then to its IPv4 one)."""
    for index, address in enumerate(addresses):
        try:
            return _Exchange(target=target, address=address, headers=headers, limits=limits)
        except FetchError as error:
            if error.reason != CONNECTION_FAILED or index == len(addresses) - 1:
                raise
    raise AssertionError("unreachable: _resolve never returns an empty list")


def _follow(*, url: str, headers: dict, limits: _Limits) -> FetchResult:
    for _hop in range(MAX_REDIRECTS + 1):
        target = _target(url)
        addresses = _resolve(target, limits)
        with _open(target=target, addresses=addresses, headers=headers, limits=limits) as exchange:
            response = exchange.response
            if response.status in REDIRECT_STATUSES:
                location = (response.headers.get("Location") or "").strip()
                if not location:
                    raise FetchError(
                        BAD_RESPONSE,
                        _("redirection sans adresse (HTTP %(status)s)") % {"status": response.status},
                    )
                url = urljoin(url, location)
                continue
            return exchange.read_result(url=url)
    raise FetchError(
        TOO_MANY_REDIRECTS,
        _("plus de %(count)d redirections, la dernière vers %(url)s")
        % {"count": MAX_REDIRECTS, "url": url[:200]},
    )


class _Exchange:
    """One request and its response on one connection to a checked address, under the watchdog."""

    def __init__(self, *, target: _Target, address: str, headers: dict, limits: _Limits):
        self.target, self.address, self.limits = target, address, limits
        self.aborted = threading.Event()
        operation_timeout = min(limits.timeout, limits.remaining())
        if target.scheme == "https":
            self.connection = HTTPSConnection(
                address,
                target.port,
                timeout=operation_timeout,
                server_hostname=target.host,
                assert_hostname=target.host,
                cert_reqs="CERT_REQUIRED",
                ca_certs=settings.FETCH_CA_BUNDLE or certifi.where(),
            )
        else:
            self.connection = HTTPConnection(address, target.port, timeout=operation_timeout)
        self.watchdog = threading.Timer(limits.remaining(), self._abort)
        self.watchdog.daemon = True
        self.watchdog.start()
        try:
            with self._errors():
                self.connection.request(
                    "GET",
                    target.path,
                    headers={**headers, "Host": target.host_header},
                    preload_content=False,
                    decode_content=False,
                )
                self.response = self.connection.getresponse()
        except BaseException:
            self.close()
            raise

    def _abort(self) -> None:
        self.aborted.set()
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.watchdog.cancel()
        self.connection.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _errors(self):
        return _TranslatedErrors(self)

    def read_result(self, *, url: str) -> FetchResult:
        response = self.response
        headers = response.headers
        result = FetchResult(
            http_status=response.status,
            etag=(headers.get("ETag") or "")[:300],
            last_modified=(headers.get("Last-Modified") or "")[:100],
            url=url,
            content_type=headers.get("Content-Type") or "",
        )
        if response.status == 304:
            result.not_modified = True
            return result
        if response.status >= 400:
            raise FetchError(
                HTTP_ERROR,
                f"HTTP {response.status} {response.reason or ''}".strip(),
                transient=response.status >= 500 or response.status == 429,
                http_status=response.status,
                retry_now=response.status in RETRY_STATUSES,
            )
        max_bytes = self.limits.max_bytes
        encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip", "deflate"):
            decoder = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
        elif encoding == "identity":
            decoder = None
            declared = headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise self._too_large(_("%(size)s octets annoncés") % {"size": declared})
        else:
            raise FetchError(
                BAD_RESPONSE, _("compression inconnue : %(encoding)s") % {"encoding": encoding[:50]}
            )
        body = bytearray()
        last_progress = time.monotonic()
        with self._errors():
            while True:
                self.limits.remaining()
                data = response.read1(CHUNK_BYTES)
                if self.aborted.is_set():
                    raise _deadline_error()
                if not data:
                    break
                if decoder is None:
                    body += data
                else:
                    self._decompress(decoder, data, body)
                if len(body) > max_bytes:
                    raise self._too_large(_("plus de %(limit)d octets") % {"limit": max_bytes})
                if self.limits.on_progress and time.monotonic() - last_progress > PROGRESS_EVERY_SECONDS:
                    self.limits.on_progress()
                    last_progress = time.monotonic()
            if decoder is not None:
                try:
                    body += decoder.flush()
                except zlib.error as error:
                    raise FetchError(
                        BAD_RESPONSE, _("compression corrompue (%(error)s)") % {"error": error}
                    ) from None
                if len(body) > max_bytes:
                    raise self._too_large(_("plus de %(limit)d octets") % {"limit": max_bytes})
                if not decoder.eof:
                    raise FetchError(BAD_RESPONSE, _("données compressées tronquées"), transient=True)
        result.content = bytes(body)
        return result

    def _decompress(self, decoder, data: bytes, body: bytearray) -> None:
        """Inflate `data` into `body`, never producing more than one byte past the cap."""
        while data:
            room = self.limits.max_bytes + 1 - len(body)
            try:
                body += decoder.decompress(data, room)
            except zlib.error as error:
                raise FetchError(
                    BAD_RESPONSE, _("compression corrompue (%(error)s)") % {"error": error}
                ) from None
            if len(body) > self.limits.max_bytes:
                return
            data = decoder.unconsumed_tail

    def _too_large(self, detail: str) -> FetchError:
        return FetchError(TOO_LARGE, detail, http_status=self.response.status)


class _TranslatedErrors:
    """Turn what urllib3, http.client, ssl and socket raise into `FetchError`s."""

    def __init__(self, exchange: _Exchange):
        self.exchange = exchange

    def __enter__(self):
        return self

    def __exit__(self, kind, error, _traceback):
        if error is None or isinstance(error, FetchError) or not isinstance(error, Exception):
            return False
        exchange = self.exchange
        where = f"{exchange.target.host} ({exchange.address})"
        if exchange.aborted.is_set():
            raise _deadline_error() from None
        if isinstance(error, SSLError | ssl.SSLError | ssl.CertificateError | HostnameMismatch):
            raise FetchError(TLS_FAILED, f"{where} : {_first_line(error)}", transient=True) from None
        if isinstance(error, NewConnectionError | ConnectionRefusedError | ConnectionResetError):
            raise FetchError(
                CONNECTION_FAILED, f"{where} : {_first_line(error)}", transient=True, retry_now=True
            ) from None
        if isinstance(error, ConnectTimeoutError | ReadTimeoutError | TimeoutError):
            raise FetchError(
                TIMEOUT,
                _("pas de réponse de %(where)s en %(timeout)s s")
                % {"where": where, "timeout": f"{exchange.limits.timeout:g}"},
                transient=True,
            ) from None
        if isinstance(error, ProtocolError | HTTPException | HTTPError | OSError):
            raise FetchError(
                BAD_RESPONSE, f"{where} : {_first_line(error)}", transient=True, retry_now=True
            ) from None
        # Whatever else a library raises, the caller gets the one exception it knows.
        raise FetchError(BAD_RESPONSE, f"{where} : {type(error).__name__}: {_first_line(error)}") from None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:300]
