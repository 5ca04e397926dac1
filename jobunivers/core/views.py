from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def accessibility_statement(request):
    return render(request, "core/accessibility.html")


def privacy(request):
    return render(request, "core/privacy.html")


def health(request):
    return HttpResponse("ok", content_type="text/plain")


def bare(request):
    """A constant page through the full stack: the baseline for benchmarks."""
    return render(request, "core/bare.html")


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
