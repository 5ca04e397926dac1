from django.shortcuts import render

from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import STAFF_ROLES


@municipal_view(*STAFF_ROLES)
def home(request):
    return render(request, "caseworker/home.html")
