"""Every key an app exports for "Mine data" has a label, so the page never shows a machine key.

The exporters are read, not run: each dict literal's keys in an exporter's source (and in the
functions it calls from the same module) must be shown by the registration (its `fields`, or a
model field of that name).
"""

import ast
import inspect
import textwrap

from jobunivers.audit.privacy import access_subjects, registrations


def _exported_keys(function) -> set[str]:
    source = textwrap.dedent(inspect.getsource(function))
    if source.lstrip().startswith(("register_personal_data", "export=")) or "lambda" in source.split("\n")[0]:
        source = source[source.index("lambda"):].split(",\n")[0]
        source = source.rstrip(",) \n")
    tree = ast.parse(source)
    keys = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys |= {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store) and isinstance(node.slice, ast.Constant):
            keys.add(node.slice.value)
    return keys


def test_every_exported_key_has_a_label():
    missing = []
    for registration in registrations():
        for key in sorted(_exported_keys(registration.export)):
            if registration.shown(key) is None:
                missing.append(f"{registration.model_label}: {key}")
    assert missing == [], "\n".join(missing)


def test_every_logged_what_in_the_code_has_a_description():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2]
    pattern = re.compile(r"""what=f?["']([^"'{(]+)""")
    logged = set()
    for path in root.rglob("*.py"):
        if "/tests/" in str(path) or path.name in {"services.py"} and path.parent.name == "audit":
            continue
        logged |= {m.group(1).strip() for m in pattern.finditer(path.read_text(encoding="utf-8"))}
    described = access_subjects()
    assert sorted(w for w in logged if w not in described) == []
