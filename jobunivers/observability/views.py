from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from jobunivers.core.metrics import metrics_access_allowed, process_registry

from .collectors import ScrapeTimeCollector


@require_GET
@never_cache
def metrics(request):
    """Prometheus text format: this process's (or all gunicorn workers') request figures, then the
    figures computed from the database and the broker. Refused unless METRICS_TOKEN or
    METRICS_ALLOWED_NETWORKS lets the caller in."""
    if not metrics_access_allowed(request):
        return HttpResponseForbidden("metrics: not allowed", content_type="text/plain")
    scrape_time = CollectorRegistry(auto_describe=False)
    scrape_time.register(ScrapeTimeCollector())
    body = generate_latest(process_registry()) + generate_latest(scrape_time)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
