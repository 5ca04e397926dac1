"""gunicorn settings (the Procfile runs `gunicorn -c config/gunicorn.py ...`).

The access log goes through core.logging.RedactingGunicornLogger: no query strings (a staff search
for a name or CPR number must not land in the web server's log), no cookies, CPR numbers redacted.
"""

import os
import shutil
from pathlib import Path

logger_class = "jobunivers.core.logging.RedactingGunicornLogger"
accesslog = "-"
# Request line and header limits (gunicorn's defaults, stated); the body cap is Django's (core.middleware).
limit_request_line = 8190
limit_request_fields = 100

# Metrics with several workers (ADR 0081): each worker process writes its request figures to files in
# PROMETHEUS_MULTIPROC_DIR and a scrape of any worker sums them all. Set here, before the workers are
# forked and import prometheus_client; a folder per master (its process id) under var/, emptied at start
# and removed at exit, unless the operator names one.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ.pop("PROMETHEUS_MULTIPROC_DIR", None)  # an empty value (.env) would turn on multiprocess mode
_OWN_METRICS_FOLDER = "PROMETHEUS_MULTIPROC_DIR" not in os.environ


def on_starting(server):
    if _OWN_METRICS_FOLDER:
        var = Path(os.environ.get("JOBUNIVERS_VAR_DIR") or Path(__file__).resolve().parent.parent / "var")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(var / "prometheus" / str(os.getpid()))
    folder = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _OWN_METRICS_FOLDER:
        shutil.rmtree(os.environ.get("PROMETHEUS_MULTIPROC_DIR", ""), ignore_errors=True)


# Young generation after 10,000 new container objects (Python's default: 700), the middle and the old
# ones after 10 collections of the one below (the default). See post_worker_init.
GC_THRESHOLDS = (10_000, 10, 10)


def post_worker_init(worker):
    """Once a worker has loaded the application: import every view (the URL configuration), build what
    the apps keep in memory (core.warmup: the jobs catalogue and search vocabulary, the employers'
    history; 1.4-1.9 s on the load test's data, which the first search and start page paid before), then
    move all that is alive to the garbage collector's permanent generation (`gc.freeze`). A full
    collection walks every tracked object, and a warm worker holds about 460,000 of them (Django, the
    views, the taxonomy's look-ups): 220-300 ms in which none of the worker's threads serves a request.
    After the freeze it walks only what requests and caches made since (64 ms in the same measurement).

    Then the collector's thresholds are raised (GC_THRESHOLDS). Python's default starts a young
    collection after every 700 new container objects, and a search page makes several thousand, a
    worklist tens of thousands: 4-7 collections a request, each walking the objects the request and
    the worker's other threads hold at that moment. In one process on the load test's pages, the
    collector's time fell from 897 to 313 ms over the same 600 requests (ADR 0184). The garbage a
    request leaves in cycles is still collected, only in larger batches."""
    import gc

    from django.db import connections
    from django.urls import get_resolver

    from jobunivers.core.warmup import warm_worker

    get_resolver().url_patterns  # noqa: B018 - imports the views
    warm_worker()
    connections.close_all()  # the main thread's; requests run in the worker's threads, with their own
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
