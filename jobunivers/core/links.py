"""Links to many objects of one kind on a page, at the cost of one `reverse()`.

A page listing 20 jobs with four actions each spent more time in `{% url %}` than in ranking them;
`reverser` resolves the pattern once per request and fills in each id."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_SENTINEL = 918273645546372819  # an id no table reaches; appears once in the reversed path


def reverser(viewname: str, kwarg: str) -> Callable[[int], str]:
    """A function id -> URL of `viewname`, whose only argument `kwarg` is an integer id."""
    head, tail = reverse(viewname, kwargs={kwarg: _SENTINEL}).split(str(_SENTINEL), 1)
    return lambda value: f"{head}{int(value)}{tail}"
