"""Turning text that people write into HTML that is safe to show.

Markdown is rendered with markdown-it-py (raw HTML disabled), then every HTML string that did not come
from our own templates goes through nh3 (the Rust `ammonia` sanitiser) with an allow-list.
"""

import html
import re

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
