from django.shortcuts import render

from jobunivers.tenancy.decorators import national_view
from jobunivers.tenancy.roles import Role


@national_view(Role.EMPLOYER)
def employer_home(request):
    return render(request, "jobs/employer_home.html")
