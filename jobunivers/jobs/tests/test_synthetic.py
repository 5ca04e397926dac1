"""The synthetic postings' titles read as Danish ads write them (issue 23), and their hours agree."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from jobunivers.jobs.synthetic import generate_records
from jobunivers.taxonomy.tests.factories import DanishJobTitleFactory, OccupationFactory


def test_titles_are_written_as_danish_ads_and_their_hours_agree(places):
    assistant = OccupationFactory(preferred_label="health care assistant", isco_code="5322")
    DanishJobTitleFactory(title="Social- og sundhedsassistent", occupation=assistant)
    records = list(generate_records(count=600, seed=7, prefix="t"))
    titles = Counter(r.title for r in records)
    # never a prefix glued onto the occupation's name ("Deltidssocial- og sundhedsassistent")
    assert all("Social- og sundhedsassistent" in t or "social- og sundhedsassistent" in t for t in titles)
    assert not [t for t in titles if re.match(r"\w+social", t, re.IGNORECASE)]
    # the shapes of Danish ads: hours, part time, night shift, a town, a contract kind
    for shape in (r", \d+ timer$", r", deltid$", r", nattevagt$", r" til (Aarhus C|Randers C|København K)$",
                  r" – barselsvikariat$", r"^Erfaren social", r" søges$"):
        assert any(re.search(shape, t) for t in titles), shape
    for record in records:
        hours = re.search(r"(\d+) timer", record.title)
        if hours:  # the hours in the title are the record's hours
            assert (record.hours, record.hours_per_week) == ("part_time", Decimal(hours.group(1)))
        else:
            assert record.hours_per_week is None
        if record.title.endswith(", deltid"):
            assert record.hours == "part_time"
        if "barselsvikariat" in record.title:
            assert record.employment_type == "substitute"
        if " til " in record.title and "fast stilling" not in record.title:
            assert record.title.split(" til ", 1)[1].split(",")[0] == record.city
