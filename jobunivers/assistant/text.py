"""Plain-text helpers: cleaning a question, stripping personal data before anything is stored.

Stripped before storing: CPR numbers, phone numbers, e-mail addresses and names (after "jeg hedder",
"mit navn er", "my name is", and capitalised words inside a sentence that are not words of the
answer cards: Danish writes nouns in lower case, so a capital inside a sentence is mostly a name).
"""

from __future__ import annotations

import html
import re
import unicodedata

MAX_QUESTION = 500
CPR = re.compile(r"(?<!\d)\d{6}\s?-?\s?\d{4}(?!\d)")
PHONE = re.compile(r"(?<![\d])(?:\+45[\s-]?|0045[\s-]?)?(?:\d{2}[\s-]?){3}\d{2}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAME_AFTER = re.compile(
    r"\b(jeg hedder|mit navn er|my name is|i am called|i'm called|navn:?)\s+([^\s,.!?]+(?:\s+[A-ZÆØÅ][^\s,.!?]*)*)",
    re.IGNORECASE,
)
TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
SENTENCE_END = re.compile(r"[.!?:\n]")


def clean(text: str) -> str:
    """Visible text of a question: no HTML tags or control characters, single spaces, capped."""
    text = html.unescape(TAG.sub(" ", text or ""))
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())[:MAX_QUESTION * 4]


def has_letters(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def strip_personal_data(text: str, known_words: frozenset[str] = frozenset()) -> str:
    """The question without CPR numbers, e-mail addresses, phone numbers and names."""
    text = CPR.sub("[CPR]", text)
    text = EMAIL.sub("[E-MAIL]", text)
    text = PHONE.sub("[TELEFON]", text)
    text = NAME_AFTER.sub(lambda m: f"{m.group(1)} [NAVN]", text)
    out = []
    start_of_sentence = True
    position = 0
    for match in WORD.finditer(text):
        between = text[position:match.start()]
        if SENTENCE_END.search(between):
            start_of_sentence = True
        word = match.group(0)
        out.append(between)
        if (not start_of_sentence and word[:1].isupper() and word.lower() not in known_words
                and word not in {"I", "NAVN", "CPR", "TELEFON", "E-MAIL"}):
            out.append("[NAVN]")
        else:
            out.append(word)
        start_of_sentence = False
        position = match.end()
    out.append(text[position:])
    return re.sub(r"(\[NAVN\]\s*){2,}", "[NAVN] ", "".join(out)).strip()[:MAX_QUESTION]


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]
