"""A lesson's text as HTML: paragraphs split by a blank line, lines starting with "- " as a list and
lines starting with "### " as a heading. Everything is escaped: the text never carries HTML."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def lesson_body(text: str) -> str:
    blocks = []
    for block in (text or "").replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{escape(line[2:].strip())}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif len(lines) == 1 and lines[0].startswith("### "):
            blocks.append(f"<h2 class=\"h3\">{escape(lines[0][4:].strip())}</h2>")
        else:
            blocks.append(f"<p>{escape(' '.join(lines))}</p>")
    return mark_safe("\n".join(blocks))  # noqa: S308 - every piece of text above is escaped
