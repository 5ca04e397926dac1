from django import template
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info

register = template.Library()


def _name(code: str) -> str:
    try:
        return str(get_language_info(code.strip().lower())["name_translated"])
    except KeyError:  # a code Django does not know: shown as written
        return code


@register.filter
def language_names(codes) -> str:
    """An offer's ISO 639-1 codes as language names in the page's language: ["da", "uk"] -> "Dansk, ukrainsk"
    (Danish writes language names in lower case; the list starts with a capital letter)."""
    names = [_name(code) for code in codes or ()]
    if (get_language() or "").startswith("da"):
        names = [name.lower() for name in names]
    return capfirst(", ".join(names))
