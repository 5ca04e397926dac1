"""Which organisation a posting belongs to: its CVR number when the posting has a valid-looking one, else
its employer name normalised (case, punctuation, company-form suffixes and spaces), so "NETTO A/S",
"Netto a/s." and " netto " are one organisation. Pure functions: the same key from the import, the
fan-out and the backtest."""

from __future__ import annotations

import re
import unicodedata

# Company-form words at the end of a name (Danish and a few common foreign ones): not part of the identity.
_COMPANY_FORMS = ("a/s", "aps", "ivs", "i/s", "k/s", "p/s", "amba", "a m b a", "fmba", "smba", "gmbh", "ab", "as",
                  "ltd", "inc")
_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w/&+ ]|_", re.UNICODE)


def _strip_forms(text: str) -> str:
    changed = True
    while changed and text:
        changed = False
        for form in _COMPANY_FORMS:
            if text == form or text.endswith(" " + form):
                text = text[: -len(form)].strip()
                changed = True
    return text


def normalised_name(name: str) -> str:
    """Idempotent: normalising a normalised name gives it back."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    text = _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).strip()
    text = _strip_forms(text)
    return _strip_forms(text[:200].strip())


def clean_cvr(cvr: str) -> str:
    digits = (cvr or "").strip()
    return digits if len(digits) == 8 and digits.isdigit() and digits != "00000000" else ""


def organisation_key(*, cvr: str, name: str) -> str:
    """'cvr:<8 digits>' or 'name:<normalised name>'; '' when the posting names no employer at all."""
    number = clean_cvr(cvr)
    if number:
        return f"cvr:{number}"
    normal = normalised_name(name)
    return f"name:{normal}" if normal else ""
