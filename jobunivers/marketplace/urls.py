from django.urls import path

from . import keys_views, views

app_name = "marketplace"

urlpatterns = [
    path("tilbud/", views.catalogue, name="catalogue"),
    path("tilbud/<int:entry_id>/", views.detail, name="detail"),
    path("tilbud/<int:entry_id>/start/", views.start, name="start"),
    path("tilbud/<int:entry_id>/bedoem/", views.rate, name="rate"),
    path("tilbud/tilmeldinger/<int:enrolment_id>/frameld/", views.leave, name="leave"),
    path("medarbejder/tilbud/", views.curation, name="curation"),
    path("medarbejder/tilbud/vis/<int:offer_id>/", views.enable, name="enable"),
    path("medarbejder/tilbud/<int:curated_id>/", views.curate, name="curate"),
    path("medarbejder/tilbud/brug/", views.usage, name="usage"),
    path("medarbejder/tilbud/egne/nyt/", views.own_offer_new, name="own_offer_new"),
    path("medarbejder/tilbud/egne/<int:offer_id>/", views.own_offer, name="own_offer"),
    path("medarbejder/tilbud/bedoemmelser/", views.ratings_moderation, name="ratings_moderation"),
    path("medarbejder/tilbud/bedoemmelser/<int:rating_id>/", views.rating_moderate, name="rating_moderate"),
    path("medarbejder/tilbud/borger/<int:citizen_id>/", views.staff_citizen, name="staff_citizen"),
    path("leverandoer/tilbud/", views.provider_offers, name="provider_offers"),
    path("leverandoer/tilbud/nyt/", views.provider_offer_new, name="provider_offer_new"),
    path("leverandoer/tilbud/bedoemmelser/", views.vendor_ratings, name="vendor_ratings"),
    path("leverandoer/tilbud/bedoemmelser/<int:rating_id>/svar/", views.rating_reply, name="rating_reply"),
    path("leverandoer/tilbud/<int:offer_id>/", views.provider_offer, name="provider_offer"),
    path("leverandoer/noegler/", keys_views.vendor_keys, name="vendor_keys"),
    path("leverandoer/noegler/<int:key_id>/", keys_views.vendor_key_change, name="vendor_key_change"),
    path("leverandoer/noegler/start/", keys_views.vendor_launch_key, name="vendor_launch_key"),
]
