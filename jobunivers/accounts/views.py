from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jobunivers.tenancy.decorators import municipal_view, national_view
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.routing import municipal_reverse, national_reverse
from jobunivers.tenancy.selectors import active_municipalities, memberships_of

from .identity import enabled_providers
from .selectors import demo_personas, get_demo_user, locked_staff
from .services import staff_lockout_release
from .start_pages import START_PAGES


def landing(request):
    municipality = request.municipality
    if request.user.is_authenticated and request.membership is not None:
        return redirect("accounts:home")
    context = {
        "providers": enabled_providers(request),
        "personas": demo_personas(municipality_id=request.municipality_id) if settings.DEMO else [],
    }
    if municipality is None:
        context["municipalities"] = active_municipalities()
        return render(request, "accounts/landing_national.html", context)
    theme = municipality.theme
    context["welcome_text"] = theme.welcome_text_en if get_language() == "en" and theme.welcome_text_en else theme.welcome_text_da
    return render(request, "accounts/landing_municipality.html", context)


def login_page(request):
    return render(request, "accounts/login.html", {"providers": enabled_providers(request)})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("accounts:landing")


def home(request):
    """Send a signed-in user to their role's start page, in their municipality."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    membership = request.membership
    if membership is None:
        memberships = list(memberships_of(request.user))
        if not memberships:
            return render(request, "accounts/no_role.html", status=403)
        membership = memberships[0]
    start_page = START_PAGES[Role(membership.role)]
    if membership.municipality is not None:
        return HttpResponseRedirect(municipal_reverse(membership.municipality.slug, start_page))
    return HttpResponseRedirect(national_reverse(start_page))


def demo_personas_view(request):
    if not settings.DEMO:
        raise Http404
    return render(request, "accounts/demo_personas.html", {
        "personas": demo_personas(municipality_id=request.municipality_id, citizens=12),
    })


@require_POST
def demo_login(request):
    # Demo personas exist only with DEMO=1; production settings refuse DEMO (config/settings/production.py).
    if not settings.DEMO:
        raise Http404
    try:
        user = get_demo_user(user_id=int(request.POST.get("user_id", "")))
    except ValueError:
        user = None
    if user is None:
        raise Http404
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(national_reverse("accounts:home"))


@national_view(Role.VENDOR)
def vendor_home(request):
    return render(request, "accounts/vendor_home.html")


def login_redirect_target(request) -> str:
    return reverse("accounts:home")


@require_http_methods(["GET", "POST"])
@municipal_view(Role.MUNICIPALITY_ADMIN)
def staff_lockouts(request):
    """The municipality's staff who are locked out of signing in now; the administrator may lift a lock."""
    if request.method == "POST":
        membership_id = request.POST.get("membership", "")
        if not membership_id.isdigit():
            raise Http404
        staff_lockout_release(actor=request.user, municipality_id=request.municipality_id,
                              membership_id=int(membership_id))
        messages.success(request, _("The sign-in lock was lifted. The staff member can sign in again."))
        return redirect("accounts:staff_lockouts")
    return render(request, "accounts/staff_lockouts.html", {
        "locked": locked_staff(actor=request.user, municipality_id=request.municipality_id),
        "cool_off_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    })
