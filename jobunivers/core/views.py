from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

DEFAULT_BRAND_COLOUR = "#004993"
FAVICON = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
    '<rect width="64" height="64" rx="12" fill="{colour}"/>'
    '<text x="32" y="45" font-family="IBM Plex Sans, Arial, sans-serif" font-size="38" font-weight="600" '
    'text-anchor="middle" fill="#ffffff">{letter}</text></svg>'
)


def accessibility_statement(request):
    return render(request, "core/accessibility.html")


def privacy(request):
    return render(request, "core/privacy.html")


def bare(request):
    """A constant page through the full stack: the baseline for benchmarks."""
    return render(request, "core/bare.html")


@require_GET
@cache_control(public=True, max_age=86400)
def favicon(request):
    """The tab icon in the municipality's header colour with the first letter of the municipality (national: J)."""
    municipality = getattr(request, "municipality", None)
    theme = getattr(municipality, "theme", None)
    colour = getattr(theme, "primary_colour", "") or DEFAULT_BRAND_COLOUR
    name = getattr(municipality, "name", "") or "Jobunivers"
    svg = FAVICON.format(colour=escape(colour), letter=escape(name.strip()[:1].upper() or "J"))
    return HttpResponse(svg, content_type="image/svg+xml")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):  # more form fields or bytes than Django reads (settings)
        from .middleware import too_large_response

        return too_large_response(request)
    return render(request, "400.html", status=400)


def server_error(request):
    # Rendered without a request context: the error may come from a context processor.
    return HttpResponseServerError(loader.get_template("500.html").render())
