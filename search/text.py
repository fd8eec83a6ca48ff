"""Words as the search engines see them: lower case, no accents, stemmed, and the snippet shown to people."""

import re
import unicodedata
from functools import lru_cache

from django.utils.html import escape, strip_tags

import snowballstemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
TYPO_MIN_LENGTH = 5
SNIPPET_LENGTH = 220


COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def fold(text: str) -> str:
    """Lower case without diacritics: "Vélorution" -> "velorution", "Nîmes" -> "nimes"."""
    return COMBINING.sub("", unicodedata.normalize("NFKD", text.casefold()))


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return WORD.findall(fold(text))


@lru_cache(maxsize=2)
def _stemmer(language: str):
    return snowballstemmer.stemmer("english" if language == "en" else "french")


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """Snowball's stem of a folded word ("reparation", "reparer" -> "repar").

    Kept in memory: Snowball in pure Python costs tens of microseconds a word, and a corpus repeats its
    words (a 30,000-record feed check stems a few thousand distinct words, not a million)."""
    return _stemmer(language).stemWord(word)


def stemmed_text(text: str, language: str) -> str:
    """What SQLite's FTS5 indexes: each word replaced by its stem in the document's language."""
    return " ".join(stem(word, language) for word in words(text))


def query_words(query: str, limit: int = 12) -> list[str]:
    """The words of a query, deduplicated, at most `limit` of them (a pasted page is not a query)."""
    seen: dict[str, None] = {}
    for word in words(query):
        seen.setdefault(word, None)
    return list(seen)[:limit]


def within_one_edit(a: str, b: str) -> bool:
    """True when `b` is `a` with at most one letter inserted, removed or replaced."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


def plain(text: str) -> str:
    """Text without HTML and with runs of white space collapsed."""
    return re.sub(r"\s+", " ", strip_tags(text or "")).strip()


def highlight(text: str, terms: list[str], length: int = SNIPPET_LENGTH) -> str:
    """An escaped excerpt of `text` around the first matched word, matched words in <mark>.

    A word matches a term when its folded form starts with it or with its stem, in either language,
    so "réparations" is marked for the query "reparer"."""
    text = plain(text)
    prefixes = set()
    for term in terms:
        prefixes.add(term)
        for language in ("fr", "en"):
            stemmed = stem(term, language)
            if len(stemmed) >= 3:
                prefixes.add(stemmed)

    def matches(word: str) -> bool:
        folded = fold(word)
        return any(folded.startswith(prefix) for prefix in prefixes)

    spans = [match.span() for match in WORD.finditer(text) if matches(match.group())]
    start = 0
    if spans and spans[0][0] > length // 3:
        start = text.rfind(" ", 0, spans[0][0] - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    pieces, position = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[position:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(escape(text[position:end]))
    return ("… " if start else "") + "".join(pieces) + (" …" if end < len(text) else "")
