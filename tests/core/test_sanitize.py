"""core.sanitize.safe_url: the one rule for links taken from outside (feeds' website, ICS URL)."""

import pytest

from core.sanitize import safe_url
from sources.services import feeds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://atelier.org/agenda?x=1#a", "https://atelier.org/agenda?x=1#a"),
        ("  HTTP://Atelier.org  ", "HTTP://Atelier.org"),
        ("atelier.org", "http://atelier.org"),
        ("www.atelier.org/agenda", "http://www.atelier.org/agenda"),
        ("javascript:alert(1)", ""),
        ("JavaScript:alert(1)", ""),
        ("java\tscript:alert(1)", ""),
        ("\x01javascript:alert(1)", ""),
        ("java.script:alert(1)", ""),
        ("data:text/html,<script>alert(1)</script>", ""),
        ("vbscript:msgbox(1)", ""),
        ("mailto:a@b.org", ""),
        ("//evil.example/x", ""),
        ("/relative/path", ""),
        ("http://", ""),
        ("http://:8080/x", ""),
        ("http://user@atelier.org/x", "http://user@atelier.org/x"),
        ("https://[2001:db8::1]/x", "https://[2001:db8::1]/x"),
        ("", ""),
        (None, ""),
    ],
)
def test_safe_url(value, expected):
    assert safe_url(value) == expected


def test_a_javascript_website_from_a_feed_is_not_stored():
    records = [
        {"id": "1", "name": "A", "website": "javascript:alert(1)"},
        {"id": "2", "name": "B", "website": "b.org"},
    ]
    elements = feeds.validate(records).elements
    assert (elements["1"].website, elements["2"].website) == ("", "b.org")
