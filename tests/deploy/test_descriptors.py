"""The deployment descriptors in deploy/ point at things that exist: commands, settings, the socket and
static folder the proxy uses; systemd itself checks the units when systemd-analyze is there."""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import crossplane
import pytest
from crossplane.analyzer import DIRECTIVES
from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)
INSTALL = "/srv/jobunivers"  # where the units expect a release checkout with its .venv
ENV_FILE = "/etc/jobunivers/jobunivers.env"
UNITS = ROOT / "deploy" / "systemd"
NGINX = ROOT / "deploy" / "nginx" / "jobunivers.conf"
SERVICES = ("jobunivers-web", "jobunivers-worker", "jobunivers-beat", "jobunivers-backup")


def parse_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """systemd's unit syntax: [Section] then Key=value lines; a key may repeat."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        assert current is not None and _ == "=", f"{path.name}: not a unit line: {line}"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def _service(name: str) -> dict[str, list[str]]:
    return parse_unit(UNITS / f"{name}.service")["Service"]


def _local(path: str) -> Path:
    assert path.startswith(INSTALL + "/"), f"{path} is not under {INSTALL}"
    return ROOT / path.removeprefix(INSTALL + "/")


def _exec_start(name: str) -> list[str]:
    (command,) = _service(name)["ExecStart"]
    return shlex.split(command)


def _option(argv: list[str], name: str) -> str:
    for index, arg in enumerate(argv):
        if arg == name:
            return argv[index + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    raise AssertionError(f"{name} not in {argv}")


def _module_exists(dotted: str) -> bool:
    return importlib.util.find_spec(dotted) is not None


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_runs_a_program_of_the_release_with_production_settings(name):
    service = _service(name)
    argv = _exec_start(name)
    program = _local(argv[0])
    assert program.is_file() and os.access(program, os.X_OK), f"{argv[0]} is not in the release's .venv"
    assert service["WorkingDirectory"] == [INSTALL]
    assert service["EnvironmentFile"] == [ENV_FILE]
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in service["Environment"]
    assert _module_exists("config.settings.production")
    assert service["User"] == ["jobunivers"]
    assert service["NoNewPrivileges"] == ["true"] and service["ProtectSystem"] == ["strict"]


def test_the_web_unit_starts_gunicorn_with_our_config_and_application():
    argv = _exec_start("jobunivers-web")
    assert Path(argv[0]).name == "gunicorn"
    assert (ROOT / _option(argv, "-c")).is_file()
    module, _, attribute = argv[3].partition(":")
    assert (argv[3], _module_exists(module), attribute) == ("config.wsgi:application", True, "application")
    assert _option(argv, "--bind") == "unix:/run/jobunivers/web.sock"
    assert _service("jobunivers-web")["RuntimeDirectory"] == ["jobunivers"]  # makes /run/jobunivers
    assert "PROMETHEUS_MULTIPROC_DIR=/run/jobunivers/prometheus" in _service("jobunivers-web")["Environment"]


def test_worker_and_beat_start_celery_with_our_app_and_beat_keeps_its_schedule_where_it_may_write():
    for name, role in (("jobunivers-worker", "worker"), ("jobunivers-beat", "beat")):
        argv = _exec_start(name)
        assert (Path(argv[0]).name, _option(argv, "-A"), argv[3]) == ("celery", "config", role)
        assert _module_exists("config.celery")
    schedule = _option(_exec_start("jobunivers-beat"), "--schedule")
    assert any(schedule.startswith(path + "/") for path in _service("jobunivers-beat")["ReadWritePaths"])


def test_the_backup_unit_runs_the_backup_command_into_a_writable_folder_every_night():
    argv = _exec_start("jobunivers-backup")
    assert argv[1:3] == ["manage.py", "backup"] and (ROOT / "manage.py").is_file()
    assert "backup" in get_commands()
    assert _service("jobunivers-backup")["ReadWritePaths"] == [_option(argv, "--output")]
    timer = parse_unit(UNITS / "jobunivers-backup.timer")
    assert timer["Timer"]["OnCalendar"] == ["*-*-* 01:30:00"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_accepts_the_units(tmp_path):
    # given the units as they would be installed, with /srv/jobunivers being this checkout
    (tmp_path / "jobunivers.env").write_text("", encoding="utf-8")
    names = []
    for unit in sorted(UNITS.iterdir()):
        text = unit.read_text(encoding="utf-8").replace(ENV_FILE, str(tmp_path / "jobunivers.env"))
        (tmp_path / unit.name).write_text(text.replace(INSTALL, str(ROOT)), encoding="utf-8")
        names.append(str(tmp_path / unit.name))
    # when / then: no unknown key, bad value or missing program
    result = subprocess.run(["systemd-analyze", "verify", "--man=no", *names], capture_output=True, text=True,
                            timeout=60)
    ours = [line for line in result.stderr.splitlines() if "jobunivers" in line]
    assert (result.returncode, ours) == (0, [])


def _nginx_config(tmp_path: Path) -> list[dict]:
    main = tmp_path / "nginx.conf"
    main.write_text(f"events {{}}\nhttp {{\n    include {NGINX};\n}}\n", encoding="utf-8")
    parsed = crossplane.parse(str(main), check_ctx=True, check_args=True)
    assert (parsed["status"], [c["errors"] for c in parsed["config"]]) == ("ok", [[], []])
    return parsed["config"][1]["parsed"]


def _walk(directives: list[dict]):
    for directive in directives:
        yield directive
        yield from _walk(directive.get("block", []))


def test_the_proxy_config_is_valid_nginx_and_uses_only_known_directives(tmp_path):
    unknown = sorted({d["directive"] for d in _walk(_nginx_config(tmp_path))} - set(DIRECTIVES))
    assert unknown == []


def test_the_proxy_forwards_to_the_web_socket_and_serves_static_files_from_the_release(tmp_path):
    directives = list(_walk(_nginx_config(tmp_path)))
    upstream = next(d for d in directives if d["directive"] == "upstream")
    (server,) = [d for d in upstream["block"] if d["directive"] == "server"]
    assert server["args"][0] == _option(_exec_start("jobunivers-web"), "--bind")
    assert {tuple(d["args"]) for d in directives if d["directive"] == "proxy_pass"} == {("http://jobunivers_web",)}
    static = next(d for d in directives if d["directive"] == "location" and d["args"] == [settings.STATIC_URL])
    (alias,) = [d["args"][0] for d in static["block"] if d["directive"] == "alias"]
    assert _local(alias.rstrip("/")) == Path(settings.STATIC_ROOT)


def test_the_proxy_sets_the_https_header_production_trusts_and_lets_django_refuse_large_bodies(tmp_path):
    directives = list(_walk(_nginx_config(tmp_path)))
    headers = {tuple(d["args"]) for d in directives if d["directive"] == "proxy_set_header"}
    assert ("X-Forwarded-Proto", "$scheme") in headers  # config.settings.production: SECURE_PROXY_SSL_HEADER
    (body,) = [d["args"][0] for d in directives if d["directive"] == "client_max_body_size"]
    assert int(body.removesuffix("m")) * 1024 * 1024 > settings.MAX_REQUEST_BODY_BYTES


def test_the_proxy_never_serves_private_files(tmp_path):
    paths = [arg for d in _walk(_nginx_config(tmp_path)) if d["directive"] in {"root", "alias"} for arg in d["args"]]
    assert paths == ["/srv/jobunivers/staticfiles/"]
    assert not Path(settings.PRIVATE_MEDIA_ROOT).is_relative_to(_local(paths[0].rstrip("/")))
