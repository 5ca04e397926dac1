from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("administration/aftaler/", views.admin_agreements, name="admin_agreements"),
    path("administration/aftaler/<int:agreement_id>/", views.admin_agreement, name="admin_agreement"),
    path("administration/aftaler/satser/<int:rate_id>/afslut/", views.rate_end, name="rate_end"),
    path("administration/opgoerelser/", views.admin_statements, name="admin_statements"),
    path("administration/opgoerelser/<int:statement_id>/", views.admin_statement, name="admin_statement"),
    path("administration/opgoerelser/<int:statement_id>/opgoerelse.<str:kind>", views.admin_statement_download,
         name="admin_statement_download"),
    path("leverandoer/aftaler/", views.vendor_agreements, name="vendor_agreements"),
    path("leverandoer/opgoerelser/", views.vendor_statements, name="vendor_statements"),
    path("leverandoer/opgoerelser/<int:statement_id>/", views.vendor_statement, name="vendor_statement"),
    path("leverandoer/opgoerelser/<int:statement_id>/opgoerelse.<str:kind>", views.vendor_statement_download,
         name="vendor_statement_download"),
    path("leverandoer/forbrug/", views.vendor_usage, name="vendor_usage"),
]
