"""What can be checked of the container files without a Docker engine (none runs here)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]
DEPLOY = ROOT / "deploy"


def test_dockerfile_passes_hadolint() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    result = subprocess.run(
        [hadolint, "--no-color", str(DEPLOY / "Dockerfile")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_runs_as_non_root_with_a_health_check() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    user = re.findall(r"^USER\s+(\S+)", text, re.MULTILINE)
    assert user and user[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", text, re.MULTILINE)
    assert 'ENTRYPOINT ["passback"]' in text and 'CMD ["serve"]' in text
    for source in re.findall(r"^COPY (?!--from)(.+) \S+$", text, re.MULTILINE):
        for path in source.split():
            assert (ROOT / path).exists(), f"COPY source {path} is missing"


def test_compose_runs_two_replicas_behind_one_port_with_postgres() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "bot", "proxy"}
    bot = services["bot"]
    assert bot["deploy"]["replicas"] == 2
    assert bot["build"]["dockerfile"] == "deploy/Dockerfile"
    assert bot["environment"]["PASSBACK_DATABASE_URL"].startswith("postgresql://")
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["proxy"]["ports"] == ["${PASSBACK_PORT:-3978}:8080"]
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert set(compose["volumes"]) == {"pgdata", "botdata"}
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "listen 8080;" in nginx and "server bot:3978 resolve;" in nginx
