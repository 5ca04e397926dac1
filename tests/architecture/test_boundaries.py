"""App boundaries (ARCHITECTURE.md, "How apps talk"): a higher layer may import a lower one,
never the reverse, and another app is reached only through services, selectors, contracts
(and a few shared entry points). Known exceptions are listed so the list can only shrink."""

import grimp

LAYERS = [
    {"caseworker", "availability"},
    {"matching", "segmentation"},
    # Notifications delivers for the apps above it (fan-out, re-segmentation notices) and
    # never imports them: a sub-layer of its own, see docs/development.md.
    {"notifications"},
    {"citizens", "jobs"},
    {"taxonomy", "accounts", "audit"},
    {"tenancy"},
    {"core"},
]
# Modules of another app that may be imported. Tests, demo data, factories and
# leak cases are outside the production boundary.
PUBLIC_MODULES = {"services", "selectors", "contracts", "permissions", "roles", "models", "decorators",
                  "routing", "identity", "errors", "context", "events", "registry", "navigation", "testing",
                  "demo", "demo_names", "forms", "tasks", "api", "privacy", "widgets", "links", "redirects"}
ALLOWED_EXCEPTIONS: set[tuple[str, str]] = set()


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


def test_lower_layers_never_import_higher_ones():
    graph = grimp.build_graph("jobunivers", include_external_packages=False)
    violations = []
    for importer in graph.modules:
        if _is_test_code(importer):
            continue
        importer_app = _app(importer)
        if importer_app is None:
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            imported_app = _app(imported)
            if imported_app is None or imported_app == importer_app:
                continue
            if (importer, imported) in ALLOWED_EXCEPTIONS:
                continue
            if _layer_of(imported_app) < _layer_of(importer_app):
                violations.append(f"{importer} imports higher layer {imported}")
            elif _layer_of(imported_app) == _layer_of(importer_app) and imported_app != importer_app:
                violations.append(f"{importer} imports {imported} from the same layer")
            else:
                module_name = imported.split(".")[2] if len(imported.split(".")) > 2 else ""
                if module_name and module_name not in PUBLIC_MODULES and "contrib" not in imported:
                    violations.append(f"{importer} reaches into {imported}")
    assert violations == []
