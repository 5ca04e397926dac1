import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory

from jobunivers.audit.decorators import citizen_data_view, shows_citizen_data
from jobunivers.audit.models import AccessLogEntry
from jobunivers.audit.services import log_staff_access
from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role


@citizen_data_view
def logs(request):
    log_staff_access(request, citizen_id=1, what="overview")
    return HttpResponse("ok")


@citizen_data_view
def forgets(request):
    return HttpResponse("citizen data without a log")


def _request(user, municipality):
    request = RequestFactory().get("/")
    request.user, request.municipality_id, request.role = user, municipality.pk, Role.JOB_ADVISER
    return request


def test_a_marked_view_that_logs_passes(member, municipality, settings):
    settings.AUDIT_STRICT = True
    adviser = member(Role.JOB_ADVISER, municipality)
    assert logs(_request(adviser, municipality)).status_code == 200
    assert AccessLogEntry.all_tenants.count() == 1


def test_a_marked_view_that_forgets_to_log_is_refused_in_strict_mode(member, municipality, settings, caplog):
    settings.AUDIT_STRICT = True
    adviser = member(Role.JOB_ADVISER, municipality)
    with pytest.raises(ImproperlyConfigured, match="without writing an access-log entry"):
        forgets(_request(adviser, municipality))
    settings.AUDIT_STRICT = False
    assert forgets(_request(adviser, municipality)).status_code == 200
    assert "citizen data shown without an access-log entry" in caplog.text


def test_the_marker_survives_other_decorators():
    wrapped = municipal_view(Role.JOB_ADVISER)(logs)
    assert shows_citizen_data(wrapped) is True
    assert shows_citizen_data(municipal_view(Role.JOB_ADVISER)(lambda request: None)) is False
