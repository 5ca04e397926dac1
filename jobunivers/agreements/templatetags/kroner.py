from django import template

from jobunivers.agreements.engine import format_kroner

register = template.Library()


@register.filter
def kroner(ore) -> str:
    """Whole øre shown as Danish kroner: 1.234,50 kr."""
    return format_kroner(int(ore or 0))
