"""Publish one host tree to an S3 bucket or an S3-compatible store (R2, MinIO, B2 …), through boto3.

    list the prefix -> compare MD5s with ETags -> check max_deletes -> put new, then changed -> delete

Credentials come only from boto3's own chain (environment, profile, instance role); the store is
told by the target's bucket, prefix, endpoint_url and region. Nothing outside the prefix is touched.
"""

from __future__ import annotations

import base64
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import (BotoCoreError, ClientError, ConnectionError as BotoConnectionError,
                                 HTTPClientError, NoCredentialsError)

from sitegen.deploy.job import DeployError, Outcome, Progress, Publish, too_many_deletes
from sitegen.deploy.tree import LocalFile, cache_control, content_type, upload_groups
from sitegen.targets import DeployTarget

CONFIG = Config(connect_timeout=10, read_timeout=60, retries={"max_attempts": 4, "mode": "standard"},
                # Checksums only where the API demands them: the CRC headers botocore adds by default
                # are refused by several S3-compatible stores. Content-MD5 guards each upload instead.
                request_checksum_calculation="when_required", response_checksum_validation="when_required")
DELETE_BATCH = 1000
"""The most keys one DeleteObjects request may name."""
PLAIN_MD5 = re.compile(r"^[0-9a-f]{32}$")
UPLOADS_AT_ONCE = 8


@dataclass(frozen=True)
class Plan:
    uploads: list[list[LocalFile]]
    """Groups in the order they go up (new files, then changed ones by rank); a group goes up at once."""
    deletes: list[str]
    """Paths under the prefix that the site no longer has."""
    unchanged: int


def publish(target: DeployTarget, job: Publish) -> Outcome:
    where = f"s3://{target.location}/{target.prefix}"
    with _one_line_errors(where, target):
        client = _client(target)
        plan = _plan(job.files, _remote_md5s(client, target))
        # Checked before anything is sent, so a wrong prefix or a half-built public/ changes nothing.
        if len(plan.deletes) > target.max_deletes and not job.force:
            raise too_many_deletes(len(plan.deletes), target.max_deletes)
        uploads = [file for group in plan.uploads for file in group]
        outcome = Outcome(sent=len(uploads), bytes=sum(f.size for f in uploads),
                          deleted=len(plan.deletes), unchanged=plan.unchanged)
        if job.dry_run:
            outcome.plan = [f"send {f.path}" for f in uploads] + [f"delete {p}" for p in plan.deletes]
            return outcome
        _upload(client, target, plan.uploads, job.progress)
        _delete(client, target, plan.deletes, where)
        if not plan.uploads and not plan.deletes:
            outcome.note = "nothing changed"
        return outcome


def _client(target: DeployTarget) -> Any:
    # A fresh session reads the environment and profile as they are now, not as they were at import.
    session = boto3.session.Session()
    return session.client("s3", endpoint_url=target.endpoint_url or None, region_name=target.region or None,
                          config=CONFIG)


def _remote_md5s(client: Any, target: DeployTarget) -> dict[str, str]:
    """Each object under the prefix, by its path in the site: its MD5, or '' when the ETag is not one
    (multipart uploads, some server-side encryption), so that the object counts as changed."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=target.location, Prefix=target.prefix):
        for item in page.get("Contents", ()):
            key: str = item["Key"]
            if key.endswith("/"):  # a console's "folder" placeholder, never a file of the site
                continue
            etag = item.get("ETag", "").strip('"').lower()
            found[key[len(target.prefix):]] = etag if PLAIN_MD5.match(etag) else ""
    return found


def _plan(files: list[LocalFile], remote: dict[str, str]) -> Plan:
    local = {f.path: f for f in files}
    new = [path for path in local if path not in remote]
    changed = [path for path, file in local.items() if path in remote and remote[path] != file.md5]
    groups = upload_groups(new, changed)
    deletes = sorted(path for path in remote if path not in local)
    return Plan([[local[path] for path in group] for group in groups], deletes,
                len(local) - len(new) - len(changed))


def _upload(client: Any, target: DeployTarget, groups: list[list[LocalFile]], progress: Progress | None) -> None:
    """Each group at once (a request takes tens of milliseconds: one at a time, a site of ten
    thousand pages would take many minutes), the next group only when the last one is up."""
    total, done = sum(len(group) for group in groups), 0
    with ThreadPoolExecutor(UPLOADS_AT_ONCE) as pool:
        for group in groups:
            for _ in pool.map(lambda file: _put(client, target, file), group):
                done += 1
                if progress:
                    progress(done, total)


def _put(client: Any, target: DeployTarget, file: LocalFile) -> None:
    # One PutObject per file keeps the ETag equal to the MD5, which is what the next deploy compares.
    client.put_object(Bucket=target.location, Key=target.prefix + file.path, Body=file.data,
                      ContentType=content_type(file.path), CacheControl=cache_control(file.path, target),
                      ContentMD5=base64.b64encode(bytes.fromhex(file.md5)).decode("ascii"))


def _delete(client: Any, target: DeployTarget, paths: list[str], where: str) -> None:
    for start in range(0, len(paths), DELETE_BATCH):
        keys = [{"Key": target.prefix + path} for path in paths[start:start + DELETE_BATCH]]
        answer = client.delete_objects(Bucket=target.location, Delete={"Objects": keys, "Quiet": True})
        # DeleteObjects answers 200 even when some keys were refused; the refusals are in the body.
        errors = answer.get("Errors") or []
        if errors:
            first = errors[0]
            raise DeployError(_line(f"{where}: could not delete {len(errors)} files ({first.get('Key')}: "
                                    f"{first.get('Code')} {first.get('Message', '')})"))


@contextmanager
def _one_line_errors(where: str, target: DeployTarget) -> Iterator[None]:
    try:
        yield
    except NoCredentialsError as error:
        raise DeployError(f"{where}: no credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                          "or AWS_PROFILE / a profile in ~/.aws)") from error
    except ClientError as error:
        raise DeployError(_line(f"{where}: {_refusal(error)}")) from error
    except (BotoConnectionError, HTTPClientError) as error:
        endpoint = _origin(getattr(error, "kwargs", {}).get("endpoint_url") or target.endpoint_url)
        raise DeployError(_line(f"{where}: cannot reach {endpoint}: {_reason(error)}")) from error
    except BotoCoreError as error:
        raise DeployError(_line(f"{where}: {error}")) from error


def _refusal(error: ClientError) -> str:
    """What the store said no to, in words a site editor can act on."""
    details = error.response.get("Error", {})
    code, message = str(details.get("Code", "")), details.get("Message", "")
    status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    if code == "NoSuchBucket" or (status == 404 and error.operation_name == "ListObjectsV2"):
        return "bucket not found"
    if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken", "InvalidToken"):
        return f"credentials refused ({code}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the profile"
    if code == "AccessDenied" or status == 403:
        return f"access denied ({error.operation_name}): the credentials may not do this to the bucket or prefix"
    return f"{error.operation_name} failed: {code} {message}".strip()


def _origin(url: str) -> str:
    """scheme://host:port of an endpoint, without the request's path and query."""
    if not url:
        return "the AWS S3 endpoint"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _reason(error: BaseException) -> str:
    """The innermost OS-level reason ("Connection refused", "Name or service not known"), which the
    layers of botocore and urllib3 wrap in long messages; else botocore's own."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    return str(error)


def _line(text: str) -> str:
    return " ".join(text.split())
