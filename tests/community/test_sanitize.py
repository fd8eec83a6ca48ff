"""What people write in the forum is rendered by core.sanitize: nothing executable may survive."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from core.sanitize import markdown_to_html

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">clic</a>',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](jav&#x09;ascript:alert(1))",
    "![x](javascript:alert(1))",
    '<svg onload="alert(1)"><script>alert(1)</script></svg>',
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<a href='vbscript:msgbox(1)'>x</a>",
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<details open ontoggle=alert(1)>",
    '"><img src=x onerror=alert(1)>',
    "`<script>` in code is fine",
]


class _Elements(HTMLParser):
    """The real elements and attributes of an HTML fragment (escaped text is not an element)."""

    def __init__(self):
        super().__init__()
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements_of(markup: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(markup)
    return parser.elements


SAFE_SCHEMES = {"", "http", "https", "mailto"}  # "" is a relative address


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_survives(payload):
    for tag, attrs in elements_of(markdown_to_html(payload)):
        assert tag not in {
            "script",
            "svg",
            "iframe",
            "object",
            "style",
            "form",
            "math",
            "body",
            "details",
            "input",
        }
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "style" not in attrs
        for name in ("href", "src", "xlink:href", "action", "data"):
            value = (attrs.get(name) or "").strip()
            assert urlsplit(value).scheme.lower() in SAFE_SCHEMES, (tag, attrs)


def test_harmless_markdown_is_kept():
    html = markdown_to_html(
        "**gras**, *italique*, [lien](https://transiscope.org)\n\n> citation\n\n- un\n- deux"
    )
    assert "<strong>gras</strong>" in html and "<em>italique</em>" in html
    assert 'href="https://transiscope.org"' in html and 'rel="noopener noreferrer nofollow ugc"' in html
    assert "<blockquote>" in html and "<li>un</li>" in html
