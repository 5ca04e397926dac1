"""Danish is the default language: every catalogue is complete, with no fuzzy entries."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIP = {".venv", "node_modules", ".tools"}
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/da/LC_MESSAGES/django.po") if not SKIP & set(p.parts))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_danish_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert (untranslated, fuzzy) == ([], [])


def test_templates_render_in_danish_by_default(client, municipality):
    response = client.get(f"/{municipality.slug}/")
    assert response.status_code == 200
    assert 'lang="da"' in response.content.decode()
    assert "Log ind" in response.content.decode()


def test_every_app_with_texts_has_a_danish_catalogue():
    missing = []
    for app in sorted(p for p in (ROOT / "jobunivers").iterdir() if p.is_dir() and (p / "apps.py").exists()):
        sources = [f for f in app.rglob("*") if f.suffix in {".py", ".html", ".txt"} and "tests" not in f.parts
                   and "migrations" not in f.parts and f.name != "apps.py"]
        uses_texts = any(
            ("gettext" in f.read_text(encoding="utf-8") or "{% translate" in f.read_text(encoding="utf-8")
             or "{% blocktranslate" in f.read_text(encoding="utf-8"))
            for f in sources
        )
        if uses_texts and not (app / "locale" / "da" / "LC_MESSAGES" / "django.po").exists():
            missing.append(app.name)
    assert missing == []


# Django merges every app's catalogue into one: an English word two apps translate differently gets one
# app's Danish everywhere. Where the meanings differ, the text carries a context. Each row is a word a
# page showed in another app's sense before it had one.
OWN_SENSE = [
    ("meeting", "minutes", "referat"),  # booking's minutes of a conversation, not "minutter"
    ("billed", "Hours", "Timer"),  # a statement line billed by the hour, not booking's "Tider"
    ("proportion", "Share", "Andel"),  # an experiment arm's share of citizens, not "Del"
    ("sent by", "By", "Af"),  # who sent a bulk push, not "Efter"
    ("access log action", "Change", "Ændring"),  # "who looked at my case": not the button "Ret"
    ("access log action", "Search", "Søgning"),  # not the button "Søg"
    ("job offered", "Role", "Stilling"),  # the job an employer offers a coffee meeting about, not a user's "Rolle"
    ("job offered", "role", "stilling"),  # the same in the citizen's data export
    ("job offered", "Occupation", "Stillingsbetegnelse"),  # beside "Stilling" on the same form: not a second one
    ("job offered", "occupation", "stillingsbetegnelse"),
    ("xAPI", "statement", "udsagn"),  # a learning record, not the marketplace's monthly "opgørelse"
    ("curation", "Rejected", "Afvist"),  # a marketplace offer turned down, not a job application's "Afslag"
    ("curation", "reviewed by", "behandlet af"),  # who reviewed an offer (also a rejection), not "godkendt af"
]


@pytest.mark.parametrize(("context", "msgid", "danish"), OWN_SENSE, ids=[row[1] for row in OWN_SENSE])
def test_a_word_with_two_meanings_keeps_its_own_in_danish(context, msgid, danish):
    from django.utils import translation

    with translation.override("da"):
        assert translation.pgettext(context, msgid) == danish


def test_every_message_has_one_danish_text_in_all_catalogues():
    """The merge above means a message two catalogues translate differently shows only one of them, and
    which one depends on the order of the apps: the other app's author never sees their text. Every
    (context, message) has one Danish text wherever it occurs; a different meaning takes a context
    (OWN_SENSE)."""
    texts: dict[tuple, dict[str, object]] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or not entry.msgid:
                continue
            text = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
            texts.setdefault((entry.msgctxt, entry.msgid), {})[str(path.relative_to(ROOT).parts[:2])] = text
    differing = {key: found for key, found in texts.items() if len(set(found.values())) > 1}
    assert differing == {}
