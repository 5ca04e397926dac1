from django.urls import path

from . import views

app_name = "journeys"

urlpatterns = [
    path("min-side/forloeb/", views.mine, name="mine"),
    path("min-side/forloeb/<int:journey_id>/fravalg/", views.opt_out, name="opt_out"),
    path("min-side/forloeb/trin/<int:enrolment_id>/<int:step_id>/", views.follow, name="follow"),
    path("medarbejder/forloeb/", views.admin_list, name="admin_list"),
    path("medarbejder/forloeb/nyt/", views.journey_new, name="journey_new"),
    path("medarbejder/forloeb/<int:journey_id>/", views.journey_detail, name="journey_detail"),
    path("medarbejder/forloeb/<int:journey_id>/ny-version/", views.draft_new, name="draft_new"),
    path("medarbejder/forloeb/version/<int:version_id>/trin/nyt/", views.step_new, name="step_new"),
    path("medarbejder/forloeb/trin/<int:step_id>/", views.step_edit, name="step_edit"),
    path("medarbejder/forloeb/trin/<int:step_id>/slet/", views.step_delete, name="step_delete"),
    path("medarbejder/forloeb/version/<int:version_id>/eksperiment/", views.experiment_edit, name="experiment_edit"),
    path("medarbejder/forloeb/version/<int:version_id>/udgiv/", views.publish, name="publish"),
    path("medarbejder/eksperimenter/", views.experiments, name="experiments"),
    path("medarbejder/eksperimenter/<int:experiment_id>/", views.experiment_result, name="experiment_result"),
    path("medarbejder/eksperimenter/<int:experiment_id>/beregn/", views.experiment_refresh, name="experiment_refresh"),
]
