"""App boundaries (ARCHITECTURE.md, "How apps talk"): a higher layer may import a lower one,
never the reverse, same layer never; and another app is reached only through its `services`,
`selectors`, `contracts` and `permissions`, its `models` only from our own `models.py` (foreign
keys), plus the few shared entry points below. Known exceptions are listed so the list can only
shrink: a listed exception that is no longer needed fails the test, and so does a longer list.
See docs/development.md, "House rules", and ADR 0064.
"""

import grimp

# Highest first. Apps of this wave that do not exist yet already have their place.
LAYERS = [
    # Observability reads operator figures from the apps below through their selectors.
    {"observability"},
    {"caseworker", "analytics", "availability", "backup"},
    {"journeys", "feedback"},
    # Coffee meetings (issue 18) read matching's fit, citizens' profiles and jobs' postings, and tell
    # citizens through notifications; nothing imports them. Internships (issue 18, ADR 0125) likewise,
    # and write the plan through citizens' services; analytics hears of a job through config/events.py.
    {"coffee", "internships"},
    # Courses and job clubs (issue 18, ADR 0120) write plan items through citizens' services and offer
    # learning's modules as tasks; feedback and journeys hear them through events only.
    {"groups"},
    # Agreements and statements sit on the marketplace (offers, vendors, use events); the
    # marketplace asks "has an agreement?" through the hook in marketplace.contracts.
    {"agreements"},
    {"marketplace", "learning", "assistant", "booking", "advice"},
    {"dialogue", "matching", "segmentation"},
    # Notifications delivers for the apps above it (fan-out, re-segmentation notices) and
    # never imports them: a sub-layer of its own, see docs/development.md.
    {"notifications"},
    # Employers (organisations from the postings, follows, hiring potential) read jobs and citizens;
    # matching's feed and fan-out read follows from it, advice reads its likely employers.
    {"employers"},
    {"citizens", "jobs"},
    {"taxonomy", "accounts", "audit"},
    {"tenancy"},
    {"core"},
]

# What any app may import from another (lower) app.
PUBLIC_MODULES = frozenset({"services", "selectors", "contracts", "permissions"})

# Shared entry points of the kernel apps, each for a reason:
SHARED_ENTRY_POINTS = frozenset({
    ("core", "errors"),          # NotFound / ValidationFailed / ConflictError: the one error vocabulary
    ("core", "events"),          # publish_on_commit: the event bus (handlers wired in config/events.py)
    ("core", "context"),         # tenant_context in tasks and commands
    ("core", "registry"),        # base class of plugin registries (feeds, channels, identity providers)
    ("core", "navigation"),      # NavItem registration
    ("core", "links"),           # safe outside links (http/https/mailto) in templates
    ("core", "redirects"),       # the one safe-redirect check for next URLs
    ("core", "api"),             # the API's shared error shape and documented error answers
    ("core", "broker"),          # the Celery broker's reachability and queue lengths (readiness, metrics)
    ("core", "metrics"),         # who may read /metrics, and the per-process figures (ADR 0081)
    ("core", "logging"),         # CPR_PATTERN / redact_cpr: what the logs and the access log hide as a CPR number
    ("core", "bulk"),            # insert_ignoring_conflicts: many rows at once, each distinct value prepared once
    ("core", "memo"),            # BoundedMemo: the one bounded, locked per-process memo
    ("core", "charts"),          # accessible SVG bar charts (population overview, monitoring)
    ("core", "forms"),           # field_group_html: a text field's DKFDS field group, drawn without templates
    ("core", "warmup"),          # register: what a new web worker builds before its first request
    ("tenancy", "roles"),        # the Role vocabulary
    ("tenancy", "decorators"),   # municipal_view / national_view on views
    ("tenancy", "routing"),      # municipal_reverse: links into a municipality from tasks
    ("audit", "decorators"),     # citizen_data_view marker on staff views
    ("audit", "privacy"),        # register_personal_data: GDPR export/erasure registry
})

# (importer app, imported module) pairs that break the rules today. Only ever remove lines.
# `models` here means another app's models used outside our own models.py (queries, not FKs):
# each should become a selector or service of the owning app.
ALLOWED_EXCEPTIONS: frozenset[tuple[str, str]] = frozenset({
    ("availability", "citizens.models"),
    ("caseworker", "citizens.models"),
    ("caseworker", "notifications.models"),
    ("caseworker", "segmentation.models"),
    ("caseworker", "taxonomy.models"),
    ("jobs", "taxonomy.models"),
    ("matching", "citizens.models"),
    ("matching", "citizens.registry"),   # the citizen start page's slot registry; should move to contracts
    ("matching", "jobs.models"),
    ("matching", "taxonomy.models"),
    ("notifications", "accounts.models"),
    ("notifications", "citizens.models"),
    ("notifications", "citizens.registry"),
    ("segmentation", "audit.models"),
    ("segmentation", "citizens.models"),
    # Memberships queried directly; should go through tenancy.selectors / tenancy.permissions.roles_of.
    ("accounts", "tenancy.models"),
    ("audit", "tenancy.models"),
    ("caseworker", "tenancy.models"),
    ("matching", "tenancy.models"),
    ("notifications", "tenancy.models"),
    ("segmentation", "tenancy.models"),
})
# The number of exceptions when the list was made strict; lower it whenever you remove one.
MAX_EXCEPTIONS = 22


def _layer_of(app: str) -> int:
    for index, layer in enumerate(LAYERS):
        if app in layer:
            return index
    raise AssertionError(f"app {app} is in no layer; add it to LAYERS")


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "jobunivers" else None


def _is_test_code(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1] in {"demo", "conftest", "testing"}


def _own_module(module: str) -> str:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 else ""


def _cross_app_imports():
    graph = grimp.build_graph("jobunivers", include_external_packages=False)
    for importer in sorted(graph.modules):
        if _is_test_code(importer) or _app(importer) is None:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            if _app(imported) is not None and _app(imported) != _app(importer):
                yield importer, imported


def _exception_key(importer: str, imported: str) -> tuple[str, str]:
    return _app(importer), f"{_app(imported)}.{_own_module(imported)}"


def _problem(importer: str, imported: str) -> str | None:
    importer_app, imported_app = _app(importer), _app(imported)
    if _layer_of(imported_app) < _layer_of(importer_app):
        return f"{importer} imports higher layer {imported}"
    if _layer_of(imported_app) == _layer_of(importer_app):
        return f"{importer} imports {imported} from the same layer"
    module_name = _own_module(imported)
    if not module_name or "contrib" in imported.split("."):
        return None
    if module_name in PUBLIC_MODULES or (imported_app, module_name) in SHARED_ENTRY_POINTS:
        return None
    if module_name == "models" and _own_module(importer) in ("models", "migrations"):
        return None  # foreign keys
    return f"{importer} reaches into {imported}"


def test_apps_import_only_lower_layers_and_their_public_modules():
    violations = []
    for importer, imported in _cross_app_imports():
        problem = _problem(importer, imported)
        if problem and _exception_key(importer, imported) not in ALLOWED_EXCEPTIONS:
            violations.append(problem)
    assert violations == []


def test_every_allowed_exception_is_still_needed():
    # given the imports that break a rule today
    needed = {_exception_key(importer, imported) for importer, imported in _cross_app_imports()
              if _problem(importer, imported)}
    # then every listed exception is one of them (remove the line once you fixed it)
    assert sorted(ALLOWED_EXCEPTIONS - needed) == []


def test_the_exception_list_only_shrinks():
    assert len(ALLOWED_EXCEPTIONS) <= MAX_EXCEPTIONS, "fix the import instead of adding an exception"


def test_an_import_from_a_higher_layer_or_a_private_module_is_caught():
    # the rule itself, so a broken check cannot pass silently
    assert _problem("jobunivers.citizens.services", "jobunivers.matching.selectors") is not None
    assert _problem("jobunivers.matching.views", "jobunivers.segmentation.selectors") is not None
    assert _problem("jobunivers.matching.views", "jobunivers.citizens.forms") is not None
    assert _problem("jobunivers.matching.views", "jobunivers.citizens.models") is not None
    assert _problem("jobunivers.matching.models", "jobunivers.citizens.models") is None
    assert _problem("jobunivers.booking.services", "jobunivers.dialogue.services") is None
    assert _problem("jobunivers.dialogue.services", "jobunivers.booking.services") is not None
