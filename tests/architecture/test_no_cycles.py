"""No import cycles inside an app's modules (issue 12: `jobs.services` imported `jobs.tasks`, which
imports `jobs.services`). Imports inside functions count: grimp reads every import statement."""

import grimp
import pytest

# Apps checked; add an app here once its cycles are gone (the list only grows).
ACYCLIC_APPS = ("jobs",)


def _cycle_in(graph, package: str) -> list[str] | None:
    modules = sorted(m for m in graph.modules if m == package or m.startswith(package + "."))
    inside = set(modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & inside) for m in modules}
    state: dict[str, int] = {}  # 1 visiting, 2 done
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        stack.append(module)
        for target in edges[module]:
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[module] = 2
        return None

    for module in modules:
        if module not in state and (found := visit(module)):
            return found
    return None


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("jobunivers", include_external_packages=False)


@pytest.mark.parametrize("app", ACYCLIC_APPS)
def test_app_has_no_import_cycle(graph, app):
    assert _cycle_in(graph, f"jobunivers.{app}") is None


def test_jobs_services_do_not_import_tasks(graph):
    assert graph.find_shortest_chain(importer="jobunivers.jobs.services", imported="jobunivers.jobs.tasks") is None


def test_the_cycle_finder_finds_a_cycle():
    fake = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        fake.add_module(module)
    fake.add_import(importer="pkg.a", imported="pkg.b")
    fake.add_import(importer="pkg.b", imported="pkg.c")
    assert _cycle_in(fake, "pkg") is None
    fake.add_import(importer="pkg.c", imported="pkg.a")
    assert _cycle_in(fake, "pkg") == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
