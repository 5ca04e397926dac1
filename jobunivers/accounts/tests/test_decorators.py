import time

from django.http import HttpResponse
from django.test import RequestFactory

from jobunivers.accounts.decorators import recent_login_required
from jobunivers.tenancy.roles import Role


@recent_login_required(max_age_seconds=600)
def export(request):
    return HttpResponse("exported")


def _request(user, role, auth_at):
    request = RequestFactory().get("/aarhus/eksport/?citizen=4")
    request.user, request.role = user, role
    request.session = {"jobunivers_auth_at": auth_at} if auth_at else {}
    return request


def test_a_recent_login_passes(member, municipality):
    adviser = member(Role.JOB_ADVISER, municipality)
    assert export(_request(adviser, Role.JOB_ADVISER, time.time() - 60)).content == b"exported"


def test_staff_with_an_old_login_sign_in_again_with_their_code(member, municipality):
    adviser = member(Role.JOB_ADVISER, municipality)
    response = export(_request(adviser, Role.JOB_ADVISER, time.time() - 3600))
    assert response.status_code == 302
    assert response["Location"] == "/log-ind/medarbejder/?next=%2Faarhus%2Feksport%2F%3Fcitizen%3D4"


def test_citizens_with_no_login_time_go_to_the_login_page(member, municipality):
    citizen = member(Role.CITIZEN, municipality)
    response = export(_request(citizen, Role.CITIZEN, None))
    assert response["Location"].startswith("/log-ind/?next=")
