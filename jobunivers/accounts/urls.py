from django.urls import path

from . import staff, views
from .contrib.nemlogin import views as nemlogin
from .contrib.oidc import views as oidc
from .contrib.staffsso import views as staffsso

app_name = "accounts"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("log-ind/", views.login_page, name="login"),
    path("log-ud/", views.logout_view, name="logout"),
    path("hjem/", views.home, name="home"),
    path("demo/", views.demo_personas_view, name="demo_personas"),
    path("demo/log-ind/", views.demo_login, name="demo_login"),
    path("leverandoer/", views.vendor_home, name="vendor_home"),
    path("log-ind/medarbejder/", staff.staff_login, name="staff_login"),
    path("log-ind/medarbejder/kode/", staff.staff_second_factor, name="staff_second_factor"),
    path("administration/laaste-logins/", views.staff_lockouts, name="staff_lockouts"),
    # MitID through NemLog-in: started under the municipality's prefix, answered at fixed national URLs.
    path("log-ind/mitid/", nemlogin.start, name="mitid_login"),
    path("saml2/acs/", nemlogin.acs, name="saml_acs"),
    path("saml2/metadata/", nemlogin.metadata, name="saml_metadata"),
    path("saml2/ls/", nemlogin.single_logout_service, name="saml_sls"),
    path("saml2/log-ud/", nemlogin.logout_view, name="saml_logout"),
    # MitID through a private broker (OpenID Connect).
    path("log-ind/mitid-broker/", oidc.start, name="oidc_login"),
    path("oidc/callback/", oidc.callback, name="oidc_callback"),
    # Staff through the municipality's own identity provider (SAML or OIDC), all under its prefix.
    path("log-ind/medarbejder/kommune/", staffsso.start, name="staff_sso_login"),
    path("saml2/medarbejder/acs/", staffsso.saml_acs, name="staff_saml_acs"),
    path("saml2/medarbejder/metadata/", staffsso.saml_metadata, name="staff_saml_metadata"),
    path("oidc/medarbejder/callback/", staffsso.oidc_callback, name="staff_oidc_callback"),
    path("administration/medarbejder-log-ind/", staffsso.settings_page, name="staff_sso_settings"),
]
