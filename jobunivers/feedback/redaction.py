"""Personal data out of free text before it is stored: CPR numbers (core.logging's pattern, and with a
space), e-mail addresses, phone numbers, and the citizen's own names. Staff search the stored text, so
what is removed here is never stored at all."""

from __future__ import annotations

import re
import unicodedata

from jobunivers.core.logging import redact_cpr

CPR_WITH_SPACE = re.compile(r"(?<!\d)\d{6}\s+-?\s*\d{4}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Danish numbers: 8 digits, written together, in fours, in pairs (or 2 2 4 with spaces), optionally after
# +45 / 0045. Not 2-2-4 with hyphens or dots: that is a date ("05-12-2026"), which the text needs.
PHONE = re.compile(r"(?<![\d+])(?:(?:\+45|0045)[\s-]?)?"
                   r"(?:\d{8}|\d{4}[\s-]\d{4}|\d{2}([\s-])\d{2}\1\d{2}\1\d{2}|\d{2} \d{2} \d{4})(?![\d-])")
NAME_AFTER = re.compile(r"\b(jeg hedder|mit navn er|my name is|i am called|i'm called)\s+(\w+(?:\s+[A-ZÆØÅ]\w*)*)",
                        re.IGNORECASE)


def clean_text(text: str) -> str:
    """No control characters (line breaks kept), trimmed."""
    kept = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else " " for ch in text or "")
    return kept.strip()


def redact(text: str, *, names: tuple[str, ...] = ()) -> str:
    text = CPR_WITH_SPACE.sub("[CPR]", text)
    text = redact_cpr(text)
    text = EMAIL.sub("[E-MAIL]", text)
    text = PHONE.sub(" [TELEFON]", text)
    text = NAME_AFTER.sub(lambda match: f"{match.group(1)} [NAVN]", text)
    for name in {part for full in names for part in re.split(r"[\s-]+", full or "") if len(part) >= 2}:
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[NAVN]", text, flags=re.IGNORECASE)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
