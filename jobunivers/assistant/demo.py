"""Demo data for the assistant: the national answer cards (vectors computed the first time)."""

from jobunivers.core.demo import register

from .cards import load_cards
from .services import cards_import


@register("assistant", order=95, every_run=True)
def load(*, rng, stdout):
    report = cards_import(cards=load_cards())
    stdout.write("  assistant: " + ", ".join(f"{k} {v}" for k, v in report.items()))
