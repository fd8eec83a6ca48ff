"""Turning text that people write into HTML that is safe to show.

Markdown is rendered with markdown-it-py (raw HTML disabled), then every HTML string that did not come
from our own templates goes through nh3 (the Rust `ammonia` sanitiser) with an allow-list.

Images are shown only from the portal itself (its pages and its media storage): a remote image in a
forum post would be a tracking pixel, telling another site who read the post and when. In Markdown a
remote image becomes a plain link to it; in HTML its `src` is dropped.
"""

import html
import re
from urllib.parse import urlsplit

from django.conf import settings

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align", "scope"},
    "code": {"class"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)


def is_local_url(url: str) -> bool:
    """Whether `url` points at the portal's own origin or its media storage (not to a third party)."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return True
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return False
    origins = {_origin(settings.SITE_URL), _origin(settings.MEDIA_URL)}
    return f"{parts.scheme}://{parts.netloc}".lower() in origins


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else None


def _only_local_images(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src" and not is_local_url(value):
        return None
    return value


def _render_image(self, tokens, idx, options, env):
    token = tokens[idx]
    src = token.attrGet("src") or ""
    if is_local_url(src):
        return self.image(tokens, idx, options, env)
    label = self.renderInlineAsText(token.children or [], options, env) or src
    return f'<a href="{html.escape(src)}">{html.escape(label)}</a>'


_markdown.add_render_rule("image", _render_image)


def sanitize_html(html: str, *, extra_tags=frozenset(), allowed_classes=None) -> str:
    """Keep harmless formatting, drop scripts, event handlers, styles and dangerous URL schemes.
    `extra_tags` and `allowed_classes` (tag -> class names) widen the rules for markup the portal itself
    adds (e.g. the forum's mention links); people's own `class` attributes are never kept otherwise."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS | set(extra_tags),
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=allowed_classes,
        url_schemes=ALLOWED_URL_SCHEMES,
        attribute_filter=_only_local_images,
        link_rel="noopener noreferrer nofollow ugc",
        strip_comments=True,
    )


def markdown_to_html(text: str) -> str:
    """Markdown written by a person, rendered and sanitised."""
    return sanitize_html(_markdown.render(text or ""))


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (for e-mails, feeds and search)."""
    return " ".join(html.unescape(nh3.clean(markup or "", tags=set())).split())


_HOST_LIKE = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d{1,5})?([/?#]\S*)?$")
_HTTP_AUTHORITY = re.compile(r"^https?://([^/?#]*)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def safe_url(value: str | None) -> str:
    """A link taken from outside (a feed's `website`, an ICS `URL`) as something safe to put in `href`:
    the URL if it is absolute http or https, `http://` + it if it is a bare host ("atelier.org/agenda"),
    otherwise "" (no link: `javascript:`, `data:`, relative or protocol-relative URLs...).

    Browsers ignore tabs, newlines and leading control characters inside a scheme ("java\\tscript:"),
    so those are removed before the scheme is read. Plain string work, no `urlsplit`: a feed check
    calls this for each of 30,000 records."""
    text = _CONTROL.sub("", str(value or ""))
    if not text:
        return ""
    authority = _HTTP_AUTHORITY.match(text)
    if authority:
        host = authority.group(1).rpartition("@")[2]
        host = host.partition("]")[0] if host.startswith("[") else host.partition(":")[0]
        return text if host.strip("[") else ""
    if _HOST_LIKE.match(text):
        return f"http://{text}"
    return ""
