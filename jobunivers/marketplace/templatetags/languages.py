from django import template
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, gettext_lazy

register = template.Library()


# Languages many Danish job seekers speak that Django has no name for.
EXTRA_NAMES = {
    "am": gettext_lazy("Amharic"),
    "kmr": gettext_lazy("Kurmanji"),
    "ku": gettext_lazy("Kurdish"),
    "prs": gettext_lazy("Dari"),
    "ps": gettext_lazy("Pashto"),
    "so": gettext_lazy("Somali"),
    "ti": gettext_lazy("Tigrinya"),
    "tl": gettext_lazy("Tagalog"),
}


def _name(code: str) -> str:
    code = code.strip().lower()
    if code in EXTRA_NAMES:
        return str(EXTRA_NAMES[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:  # a code nobody named: shown as written
        return code


@register.filter
def language_names(codes) -> str:
    """An offer's ISO 639-1 codes as language names in the page's language: ["da", "uk"] -> "Dansk, ukrainsk"
    (Danish writes language names in lower case; the list starts with a capital letter)."""
    names = [_name(code) for code in codes or ()]
    if (get_language() or "").startswith("da"):
        names = [name.lower() for name in names]
    return capfirst(", ".join(names))
