"""The national answer cards as data files: `data/cards/*.toml`, one `[[card]]` table per card.

    [[card]]
    key = "registrer-dig-som-ledig"      # stable, lower case, a-z 0-9 and dashes
    topic = "registering"
    audience = "both"                     # both | dagpenge | kontanthjaelp
    title_da = "…"                        title_en = "…"
    variants_da = ["…", "…"]              variants_en = ["…"]   (ways citizens ask)
    short_da = "…"                        short_en = "…"        (one or two sentences)
    long_da = "…"                         long_en = "…"         (optional: details, exceptions)
    legal_refs = ["LAB § 31 (LBK nr. 280 af 1/3 2024)"]
    sources = [{title = "borger.dk: …", url = "https://www.borger.dk/…"}]
    valid_from = 2024-01-01               valid_to = 2026-12-31 (optional)
    last_reviewed = 2026-12-04
    owner = "Jobunivers indhold"
    individual = true                     (optional: the answer depends on an individual assessment)

A file may start with a `[defaults]` table (owner, last_reviewed, valid_from, sources, …) that
each card of the file takes unless it sets the field itself.

Texts are the project's own words; every card states its sources (see docs/assistant.md).
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

DATA_DIR = Path(__file__).resolve().parent / "data"
CARDS_DIR = DATA_DIR / "cards"
KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
AUDIENCES = {"both", "dagpenge", "kontanthjaelp"}
REQUIRED = ("key", "topic", "title_da", "title_en", "short_da", "short_en", "valid_from", "last_reviewed", "owner",
            "sources")
PUBLIC_HOSTS = ("retsinformation.dk", "borger.dk", "star.dk", "a-kasser.dk", "jobnet.dk", "bm.dk", "ft.dk",
                "lifeline.dk", "livslinien.dk", "mitid.dk", "skat.dk", "ankestyrelsen.dk", "elov.dk", "datatilsynet.dk",
                "jobunivers.dk", "ast.dk", "aes.dk", "lovguiden.dk", "sundhed.dk", "112.dk", "retsinfo.dk")


class CardFileError(ValueError):
    pass


@dataclass(frozen=True)
class CardData:
    key: str
    topic: str
    audience: str
    title_da: str
    title_en: str
    short_da: str
    short_en: str
    long_da: str
    long_en: str
    variants: tuple[str, ...]
    sources: tuple[dict, ...]
    legal_refs: tuple[str, ...]
    valid_from: datetime.date
    valid_to: datetime.date | None
    last_reviewed: datetime.date
    owner: str
    needs_assessment: bool

    def as_fields(self) -> dict:
        return {"topic": self.topic, "audience": self.audience, "title_da": self.title_da, "title_en": self.title_en,
                "short_da": self.short_da, "short_en": self.short_en, "long_da": self.long_da, "long_en": self.long_en,
                "variants": list(self.variants), "sources": [dict(s) for s in self.sources],
                "legal_refs": list(self.legal_refs), "valid_from": self.valid_from, "valid_to": self.valid_to,
                "last_reviewed": self.last_reviewed, "owner": self.owner, "needs_assessment": self.needs_assessment}


def _text(raw: dict, name: str, where: str, required: bool = True) -> str:
    value = raw.get(name, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise CardFileError(f"{where}: {name} must be a non-empty text")
    return " ".join(value.split()) if "\n" not in value.strip() else value.strip()


def _source(item, where: str) -> dict:
    if not isinstance(item, dict) or not item.get("title") or not item.get("url"):
        raise CardFileError(f"{where}: each source needs a title and a url")
    parts = urlsplit(item["url"])
    host = parts.hostname or ""
    if parts.scheme != "https" or not any(host == h or host.endswith("." + h) for h in PUBLIC_HOSTS):
        raise CardFileError(f"{where}: source {item['url']} is not an https address on a public site we cite")
    return {"title": str(item["title"]), "url": item["url"]}


def parse_card(raw: dict, where: str) -> CardData:
    for name in REQUIRED:
        if name not in raw:
            raise CardFileError(f"{where}: {name} is missing")
    key = raw["key"]
    if not isinstance(key, str) or not KEY.fullmatch(key) or len(key) > 80:
        raise CardFileError(f"{where}: key {key!r} must be lower case a-z, 0-9 and dashes")
    audience = raw.get("audience", "both")
    if audience not in AUDIENCES:
        raise CardFileError(f"{where}: audience must be one of {sorted(AUDIENCES)}")
    valid_from, valid_to, reviewed = raw["valid_from"], raw.get("valid_to"), raw["last_reviewed"]
    for name, value in (("valid_from", valid_from), ("last_reviewed", reviewed)):
        if not isinstance(value, datetime.date):
            raise CardFileError(f"{where}: {name} must be a date (YYYY-MM-DD)")
    if valid_to is not None and (not isinstance(valid_to, datetime.date) or valid_to < valid_from):
        raise CardFileError(f"{where}: valid_to must be a date on or after valid_from")
    variants = [*raw.get("variants_da", []), *raw.get("variants_en", [])]
    if len(variants) < 2 or not all(isinstance(v, str) and v.strip() for v in variants):
        raise CardFileError(f"{where}: at least two question variants are needed")
    sources = tuple(_source(s, where) for s in raw["sources"])
    if not sources:
        raise CardFileError(f"{where}: at least one source is needed")
    refs = raw.get("legal_refs", [])
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise CardFileError(f"{where}: legal_refs must be a list of texts")
    return CardData(
        key=key, topic=_text(raw, "topic", where), audience=audience,
        title_da=_text(raw, "title_da", where), title_en=_text(raw, "title_en", where),
        short_da=_text(raw, "short_da", where), short_en=_text(raw, "short_en", where),
        long_da=_text(raw, "long_da", where, required=False), long_en=_text(raw, "long_en", where, required=False),
        variants=tuple(" ".join(v.split()) for v in variants), sources=sources, legal_refs=tuple(refs),
        valid_from=valid_from, valid_to=valid_to, last_reviewed=reviewed, owner=_text(raw, "owner", where),
        needs_assessment=bool(raw.get("individual", False)),
    )


def load_cards(directory: Path = CARDS_DIR) -> list[CardData]:
    cards: list[CardData] = []
    seen: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise CardFileError(f"{path.name}: {error}") from error
        defaults = data.get("defaults", {})
        for number, raw in enumerate(data.get("card", []), start=1):
            raw = {**defaults, **raw}
            card = parse_card(raw, f"{path.name} card {number} ({raw.get('key', '?')})")
            if card.key in seen:
                raise CardFileError(f"{path.name}: key {card.key} is also in {seen[card.key]}")
            seen[card.key] = path.name
            cards.append(card)
    return cards
