"""@mentions in forum posts: finding the handles people named, and linking them when a post is shown.

A mention is found in the post's sanitised HTML, in text that is neither code nor already a link, so the
people notified are exactly the people shown as mentioned. Linking happens when the page is rendered (a
member may join or leave the directory after the post was written), with one query for all the posts on
the page, and the result goes through nh3 again with the same rules plus the `mention` class.
"""

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.urls import reverse
from django.utils.html import format_html

from core.sanitize import sanitize_html

from . import selectors

# "@" not preceded by a letter, digit, "@" or "/" (e-mail addresses, URLs), then a whole word. The word is
# taken whole (possessive) so that "@alice@example.org" (a fediverse address) is not "@alice".
MENTION_RE = re.compile(r"(?<![\w@/])@([\w-]++)(?!@)")
# What forum_profile_ensure() makes (slugify): ASCII letters, digits, "-" and "_", never at the ends.
HANDLE_RE = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,58}[a-z0-9])?", re.ASCII | re.IGNORECASE)

# Text inside these elements is never a mention: code is quoted as is, and a link cannot hold a link.
INERT_TAGS = {"a", "code", "pre"}
# Inline elements: the character before a mention may sit in the previous one ("**jean**@exemple.org").
INLINE_TAGS = {"a", "abbr", "b", "code", "del", "em", "i", "s", "span", "strong", "sub", "sup"}
MENTION_CLASSES = {"a": {"mention"}, "span": {"mention"}}


@dataclass
class _Text:
    text: str
    mentionable: bool
    before: str  # the character just before, when it is in the same run of inline text


class _Segments(HTMLParser):
    """Split sanitised HTML into tags (kept as written) and text nodes (unescaped)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str | _Text] = []
        self._inert = 0
        self._last_char = ""

    def handle_starttag(self, tag, attrs):
        self.parts.append(self.get_starttag_text())
        if tag in INERT_TAGS:
            self._inert += 1
        if tag not in INLINE_TAGS:
            self._last_char = ""

    def handle_startendtag(self, tag, attrs):
        self.parts.append(self.get_starttag_text())
        self._last_char = ""

    def handle_endtag(self, tag):
        self.parts.append(f"</{tag}>")
        if tag in INERT_TAGS and self._inert:
            self._inert -= 1
        if tag not in INLINE_TAGS:
            self._last_char = ""

    def handle_data(self, data):
        last = self.parts[-1] if self.parts else None
        if isinstance(last, _Text):  # one text node may come in several pieces
            last.text += data
        else:
            self.parts.append(_Text(data, mentionable=not self._inert, before=self._last_char))
        self._last_char = data[-1:] or self._last_char


def _matches(part: _Text):
    """(start, end, handle) of each mention in a text node; `handle` is lower-case."""
    for match in MENTION_RE.finditer(part.text):
        if match.start() == 0 and part.before and re.match(r"[\w@/]", part.before):
            continue
        word = match.group(1).rstrip("-_")
        if not HANDLE_RE.fullmatch(word):
            continue
        yield match.start(), match.start(1) + len(word), word.lower()


def _parse(markup: str) -> list[str | _Text]:
    parser = _Segments()
    parser.feed(markup)
    parser.close()
    return parser.parts


def handles_in_html(markup: str) -> set[str]:
    """The handles mentioned in a post's sanitised HTML (lower-case), outside code and links."""
    if "@" not in (markup or ""):
        return set()
    return {
        handle
        for part in _parse(markup)
        if isinstance(part, _Text) and part.mentionable
        for _start, _end, handle in _matches(part)
    }


def _sanitize(markup: str) -> str:
    """core.sanitize's rules, plus the `mention` class on links and spans (and nothing else)."""
    return sanitize_html(markup, extra_tags={"span"}, allowed_classes=MENTION_CLASSES)


def _render(parts: list[str | _Text], members: dict[str, str]) -> tuple[str, bool]:
    """The HTML with mentions of members marked up, and whether anything was marked up."""
    out, changed = [], False
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        position = 0
        for start, end, handle in _matches(part) if part.mentionable else ():
            if handle not in members:
                continue
            out.append(html.escape(part.text[position:start], quote=False))
            written, url = part.text[start:end], members[handle]
            if url:
                out.append(format_html('<a class="mention" href="{}">{}</a>', url, written))
            else:
                out.append(format_html('<span class="mention">{}</span>', written))
            position, changed = end, True
        out.append(html.escape(part.text[position:], quote=False))
    return "".join(out), changed


def members_by_handle(handles) -> dict[str, str]:
    """Active members among these handles, each with the address of the directory page anyone may see
    ("" when they have none). One query."""
    if not handles:
        return {}
    rows = selectors.forum_profiles_by_handle(handles=handles).filter(user__is_active=True)
    rows = rows.annotate(directory_pk=selectors.directory_profile_pk()).values_list("handle", "directory_pk")
    return {handle: reverse("community:ambassador", kwargs={"pk": pk}) if pk else "" for handle, pk in rows}


def link_mentions(*, posts) -> None:
    """Set `body_html_with_mentions` on each post: its HTML with mentions of members linked to their
    directory page (or marked with a span when they are not in the directory). Unknown handles stay text."""
    parsed = {}
    for post in posts:
        if "@" in post.body_html:
            parsed[post.pk] = _parse(post.body_html)
    handles = {
        handle
        for parts in parsed.values()
        for part in parts
        if isinstance(part, _Text) and part.mentionable
        for _start, _end, handle in _matches(part)
    }
    members = members_by_handle(handles)
    for post in posts:
        post.body_html_with_mentions = post.body_html
        if members and post.pk in parsed:
            rendered, changed = _render(parsed[post.pk], members)
            if changed:
                post.body_html_with_mentions = _sanitize(rendered)
