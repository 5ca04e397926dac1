"""Demo data for learning: the national library of modules from the data files (every run, idempotent)."""

from jobunivers.core.demo import register

from .content import load_modules
from .services import modules_import


@register("learning", order=96, every_run=True)
def load(*, rng, stdout):
    report = modules_import(modules=load_modules())
    stdout.write("  learning: " + ", ".join(f"{k} {v}" for k, v in report.items()))
