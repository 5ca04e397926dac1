"""Demo data for courses and job clubs under `make run`: in each demo municipality the first job adviser
runs a job club (open to the other demo municipalities, online) and a blended course, each with meetings in
the coming weeks; a few demo citizens have joined, and the course is full with a waiting list.
Idempotent (core.demo registry)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jobunivers.core.demo import register


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=timezone.get_current_timezone())


@register("groups", order=98)
def load(*, rng, stdout):
    from jobunivers.citizens.models import Citizen
    from jobunivers.tenancy.models import Membership, Municipality
    from jobunivers.tenancy.roles import Role

    from .models import Group
    from .services import group_create, join, session_add

    municipalities = list(Municipality.objects.filter(is_demo=True).order_by("code"))
    made = 0
    for municipality in municipalities:
        teacher = (Membership.objects.filter(municipality=municipality, role=Role.JOB_ADVISER)
                   .select_related("user").order_by("user__username").first())
        if teacher is None or Group.all_tenants.filter(municipality=municipality).exists():
            continue
        user = teacher.user
        start = timezone.localdate() + datetime.timedelta(days=2)
        club = group_create(actor=user, municipality_id=municipality.pk, kind="job_club", title="Jobklubben – online",
                            description="Vi mødes hver uge på video, deler erfaringer og hjælper hinanden med "
                                        "ansøgninger, netværk og motivation.", capacity=12,
                            is_cross_municipal=len(municipalities) > 1,
                            partner_ids=[m.pk for m in municipalities if m.pk != municipality.pk])
        course = group_create(actor=user, municipality_id=municipality.pk, kind="course",
                              title="Kom godt i gang med jobsøgningen",
                              description="Tre mødegange på jobcentret med små opgaver online imellem: CV, "
                                          "ansøgning og jobsamtalen.", capacity=2)
        for week in range(3):
            day = start + datetime.timedelta(days=7 * week)
            session_add(actor=user, group=club, starts_at=_at(day, 10), ends_at=_at(day, 11),
                        video_link="https://video.example.dk/jobklub", agenda="Ugens erfaringer og næste skridt")
            session_add(actor=user, group=course, starts_at=_at(day + datetime.timedelta(days=1), 9),
                        ends_at=_at(day + datetime.timedelta(days=1), 12), place="Jobcentret, mødelokale 2",
                        agenda=["Dit CV", "Den gode ansøgning", "Jobsamtalen"][week])
        citizens = list(Citizen.all_tenants.filter(municipality=municipality, is_demo=True)
                        .select_related("user").order_by("pk")[:4])
        for citizen in citizens[:3]:
            join(actor=citizen.user, citizen=citizen, group_id=club.pk)
        for citizen in citizens:
            join(actor=citizen.user, citizen=citizen, group_id=course.pk)
        made += 2
    stdout.write(f"  groups: {made} demo courses and job clubs")
