"""A statement as CSV (semicolon-separated, decimal comma, as Danish spreadsheets expect) and as PDF."""

from __future__ import annotations

import csv
import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from . import sources
from .engine import format_kroner


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _quantity(value) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _month(statement) -> str:
    return formats.date_format(statement.month, "YEAR_MONTH_FORMAT")


def _rows(lines) -> list[list[str]]:
    return [[sources.offer_title(line.agreement.offer), line.get_kind_display(), _date(line.period_start),
             _date(line.period_end), _quantity(line.quantity), format_kroner(line.unit_amount_ore),
             format_kroner(line.amount_ore), line.subject] for line in lines]


def _header() -> list[str]:
    return [_("Offer"), _("Kind"), _("From"), _("To"), _("Quantity"), _("Unit price"), _("Amount"),
            _("Pseudonymous citizen")]


def statement_csv(statement, lines) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Statement"), statement.municipality.name, statement.vendor.name, _month(statement),
                     statement.get_status_display()])
    writer.writerow(_header())
    for row in _rows(lines):
        # A cell starting with =, +, - or @ would be a formula in a spreadsheet: quote it as text.
        writer.writerow([f"'{cell}" if cell[:1] in "=+-@" else cell for cell in row])
    writer.writerow([_("Total"), "", "", "", "", "", format_kroner(statement.total_ore), ""])
    writer.writerow([_("Fingerprint of the inputs"), statement.inputs_hash])
    return "\ufeff" + buffer.getvalue()  # the byte-order mark makes Excel read UTF-8


ROWS_PER_PAGE = 26  # fits a landscape A4 page at 8 pt under the heading


def _clip(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


def statement_pdf(statement, lines) -> bytes:
    buffer = io.BytesIO()
    title = _("Statement %(month)s") % {"month": _month(statement)}
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), title=title, leftMargin=1.5 * cm,
                                 rightMargin=1.5 * cm, topMargin=1.5 * cm, bottomMargin=1.5 * cm, lang="da")
    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    story = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(_("%(municipality)s to %(vendor)s (CVR %(cvr)s). Status: %(status)s.") % {
            "municipality": statement.municipality.name, "vendor": statement.vendor.name,
            "cvr": statement.vendor.cvr, "status": statement.get_status_display()}), cell),
        Spacer(1, 0.4 * cm),
    ]
    # Plain strings, not a Paragraph per cell, and one table per page rather than one table that
    # reportlab splits: a statement may have thousands of lines (one per subscription), and both cost
    # seconds at that size (bench_marketplace).
    body = [[_clip(value) for value in row] for row in _rows(lines)]
    body.append([_("Total"), "", "", "", "", "", format_kroner(statement.total_ore), ""])
    style = TableStyle([
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ])
    widths = [6 * cm, 3 * cm, 2.4 * cm, 2.4 * cm, 2 * cm, 3 * cm, 3.4 * cm, 4.4 * cm]
    for start in range(0, len(body), ROWS_PER_PAGE):
        if start:
            story.append(PageBreak())
        table = Table([_header(), *body[start:start + ROWS_PER_PAGE]], colWidths=widths)
        table.setStyle(style)
        story.append(table)
    story += [Spacer(1, 0.4 * cm),
              Paragraph(escape(_("Fingerprint of the inputs: %(hash)s") % {"hash": statement.inputs_hash}), cell)]
    document.build(story)
    return buffer.getvalue()
