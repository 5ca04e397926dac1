from django.urls import path

from . import views

app_name = "segmentation"

urlpatterns = [
    path("algoritmer/", views.algorithm_register, name="algorithm_register"),
    path("algoritmer/segmentering.json", views.algorithm_register_json, name="algorithm_register_json"),
    path("min-indsats/", views.my_track, name="my_track"),
    path("min-indsats/uenig/", views.my_track_disagree, name="my_track_disagree"),
    path("min-indsats/mere-kontakt/", views.my_track_wish, name="my_track_wish"),
    path("segmentering/", views.worklist, name="worklist"),
    path("segmentering/forslag/<int:suggestion_id>/", views.suggestion_detail, name="suggestion_detail"),
    path("segmentering/borger/<int:citizen_id>/konsulent/", views.consultant_assign_view, name="consultant_assign"),
    path("segmentering/statistik/", views.override_statistics_view, name="override_statistics"),
    path("segmentering/mit-caseload/", views.caseload, name="caseload"),
    path("segmentering/anden-vurdering/", views.second_review_list, name="second_review"),
    path("segmentering/grupper/", views.fairness_groups_view, name="fairness_groups"),
    path("segmentering/model/", views.active_model_card, name="active_model_card"),
    path("segmentering/modeller/", views.model_registry, name="model_registry"),
    path("segmentering/modeller/<int:version_id>/", views.model_card, name="model_card"),
]
