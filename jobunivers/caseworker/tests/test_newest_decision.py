"""The population overview counts each citizen once, on their newest decision (the anti-join in
adapters._newest_decisions), and only in the municipality being looked at."""

from jobunivers.caseworker import adapters
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import tenant_context
from jobunivers.segmentation.tests.factories import decision, suggestion, tracks


def test_each_citizen_counts_on_their_newest_track_only_in_their_municipality(municipality, other_municipality,
                                                                              member):
    # given Ada, moved from track 1 to track 3, then back to track 2; Bo on track 1; and a citizen of
    # another municipality on track 3
    consultant = member("personal_consultant", municipality)
    ada, bo = CitizenFactory(municipality=municipality), CitizenFactory(municipality=municipality)
    first = suggestion(ada, level=1)
    decision(first, by=consultant)
    decision(first, by=consultant, level=3)
    decision(first, by=consultant, level=2)
    decision(suggestion(bo, level=1), by=consultant)
    elsewhere = CitizenFactory(municipality=other_municipality)
    decision(suggestion(elsewhere, level=3), by=member("personal_consultant", other_municipality))
    home_tracks = tracks(municipality)
    # when the overview counts decided tracks, and lists who is on each
    with tenant_context(municipality):
        counts = dict(adapters.decided_track_counts())
        on_track = {level: sorted(adapters.citizens_on_track(track_id=track.pk).values_list("citizen_id", flat=True))
                    for level, track in home_tracks.items()}
    # then Ada counts once, on track 2; Bo on track 1; nobody here on track 3
    assert counts == {home_tracks[1].name_da: 1, home_tracks[2].name_da: 1}
    assert {level: ids for level, ids in on_track.items() if ids} == {1: [bo.pk], 2: [ada.pk]}
