"""Fixtures for the deploy tests: real servers on 127.0.0.1."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from typing import Any, Iterator

import pytest


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    """http://127.0.0.1:PORT of a moto S3 API server in this process."""

    def client(self) -> Any:
        import boto3
        return boto3.session.Session().client("s3", endpoint_url=self.endpoint_url, region_name="us-east-1")


@pytest.fixture
def s3_server(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    """A real S3 API (moto in server mode) on 127.0.0.1, empty, with test credentials in the environment.

    Every AWS setting a developer's machine may hold is replaced, so that nothing reads their profile
    or reaches AWS: the tests always pass this server's endpoint_url, and instance metadata is off."""
    from moto.server import ThreadedMotoServer

    empty = tmp_path_factory.mktemp("aws") / "empty"
    empty.write_text("", encoding="utf-8")
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
                 "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                 "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true",
                        "AWS_CONFIG_FILE": str(empty), "AWS_SHARED_CREDENTIALS_FILE": str(empty)}.items():
        monkeypatch.setenv(name, value)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    _reset(endpoint)  # moto keeps its buckets in the process, across servers
    try:
        yield S3Server(endpoint)
    finally:
        _reset(endpoint)
        server.stop()


def _reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()
