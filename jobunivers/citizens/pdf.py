"""PDF exports of the plan and the job log (reportlab), laid out simply so they print well."""

from __future__ import annotations

import io
from collections.abc import Iterable
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _date(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def _document(title: str, story_builder) -> bytes:
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=2 * cm, rightMargin=2 * cm,
                                 topMargin=2 * cm, bottomMargin=2 * cm, lang="da")
    styles = getSampleStyleSheet()
    story = story_builder(styles)
    document.build(story)
    return buffer.getvalue()


def _table(rows: list[list], widths: list[float], styles) -> Table:
    cell = styles["BodyText"]
    data = [[Paragraph(escape(str(value)), cell) for value in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#999999")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def plan_pdf(*, citizen, municipality_name: str, items: Iterable, goals: Iterable) -> bytes:
    title = _("My plan")

    def build(styles):
        story = [Paragraph(escape(title), styles["Title"]),
                 Paragraph(escape(_("%(name)s, Job centre %(municipality)s. Printed %(date)s.") % {
                     "name": citizen.user.get_full_name() or citizen.user.username,
                     "municipality": municipality_name, "date": _date(timezone.localdate())}), styles["BodyText"]),
                 Spacer(1, 0.5 * cm)]
        goals_list = list(goals)
        if goals_list:
            story.append(Paragraph(escape(_("Goals")), styles["Heading2"]))
            for goal in goals_list:
                text = goal.text + (f" ({_('by')} {_date(goal.target_on)})" if goal.target_on else "")
                if goal.is_achieved:
                    text += f" — {_('achieved')}"
                story.append(Paragraph("• " + escape(text), styles["BodyText"]))
            story.append(Spacer(1, 0.5 * cm))
        story.append(Paragraph(escape(_("Activities")), styles["Heading2"]))
        rows = [[_("Activity"), _("Type"), _("Status"), _("Dates"), _("Agreed with the job centre")]]
        for item in items:
            dates = " – ".join(d for d in (_date(item.starts_on), _date(item.due_on)) if d)
            text = item.title + (f"\n{item.description}" if item.description else "")
            if item.weekly_target:
                text += "\n" + _("%(n)s applications per week") % {"n": item.weekly_target}
            rows.append([text, item.get_item_type_display(), item.get_status_display(), dates,
                         _("Yes") if item.agreed_with_job_centre else _("No")])
        if len(rows) == 1:
            story.append(Paragraph(escape(_("Your plan has no activities yet.")), styles["BodyText"]))
        else:
            story.append(_table(rows, [6 * cm, 2.6 * cm, 2.2 * cm, 3 * cm, 3.2 * cm], styles))
        return story

    return _document(title, build)


def job_log_pdf(*, citizen, municipality_name: str, entries: Iterable, weeks: Iterable) -> bytes:
    title = _("My job log")

    def build(styles):
        story = [Paragraph(escape(title), styles["Title"]),
                 Paragraph(escape(_("Availability documentation. %(name)s, Job centre %(municipality)s. "
                                    "Printed %(date)s.") % {
                     "name": citizen.user.get_full_name() or citizen.user.username,
                     "municipality": municipality_name, "date": _date(timezone.localdate())}), styles["BodyText"]),
                 Spacer(1, 0.5 * cm), Paragraph(escape(_("Applications per week")), styles["Heading2"])]
        week_rows = [[_("Week"), _("Applications"), _("Agreed"), _("Other activities")]]
        for week in weeks:
            week_rows.append([f"{week.iso_week} ({week.iso_year})", week.count,
                              week.target if week.target is not None else "–", week.other_activities])
        story.append(_table(week_rows, [4 * cm, 4 * cm, 4 * cm, 5 * cm], styles))
        story += [Spacer(1, 0.5 * cm), Paragraph(escape(_("Entries")), styles["Heading2"])]
        rows = [[_("Date"), _("What"), _("Employer"), _("Job title or subject"), _("How"), _("Follow-up")]]
        for entry in entries:
            rows.append([_date(entry.occurred_on), entry.get_kind_display(), entry.employer, entry.job_title,
                         entry.get_how_applied_display() if entry.how_applied else "", entry.get_status_display()])
        if len(rows) == 1:
            story.append(Paragraph(escape(_("No entries yet.")), styles["BodyText"]))
        else:
            story.append(_table(rows, [2.3 * cm, 2.7 * cm, 3.3 * cm, 3.7 * cm, 2.5 * cm, 2.5 * cm], styles))
        return story

    return _document(title, build)
