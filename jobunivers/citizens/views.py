from django.shortcuts import render

from jobunivers.tenancy.decorators import municipal_view
from jobunivers.tenancy.roles import Role

from .selectors import citizen_for_user


@municipal_view(Role.CITIZEN)
def home(request):
    return render(request, "citizens/home.html", {"citizen": citizen_for_user(user=request.user)})
