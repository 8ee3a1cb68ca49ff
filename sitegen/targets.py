"""[deploy.NAME] tables of sitegen.toml -> DeployTarget: where `sitegen deploy` publishes.

The kind of target is told by its `url`:

    git+ssh://…  git+https://…  git+file://…   a branch (`#branch`, default gh-pages)
    rsync://host/module/path, host:path, a folder    real rsync
    s3://bucket/prefix                               S3 and S3-compatible stores

Credentials never live here: git and rsync use the machine's ssh keys and credential
helpers, S3 the standard AWS environment and profile chain. A value that looks like a
secret is an error, so one pasted by mistake is never committed with the config.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from sitegen.errors import Problem
from sitegen.schema import Key, nonempty, not_negative, read_table

TARGET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
DEFAULT_BRANCH = "gh-pages"
SHORT_CACHE = "public, max-age=300"
"""Pages, feeds, the sitemap and assets without a fingerprint: readers see a change within minutes."""
LONG_CACHE = "public, max-age=31536000, immutable"
"""Assets whose name holds a digest of their bytes: they never change under the same name."""
TARGET_KEYS = {
    "url": Key(str, "", required=True, check=nonempty),
    "host": Key(str, ""),
    "cname": Key(str, ""),
    "endpoint_url": Key(str, ""),
    "region": Key(str, ""),
    "max_deletes": Key(int, 256, check=not_negative),
    "cache_control": Key(str, SHORT_CACHE, check=nonempty),
    "cache_control_fingerprinted": Key(str, LONG_CACHE, check=nonempty),
}
SECRET_NAMES = re.compile(r"(secret|password|passwd|token|access_key|credential)", re.IGNORECASE)
SECRET_VALUES = (re.compile(r"\b(AKIA|ASIA)[A-Z0-9]{16}\b"), re.compile(r"^[A-Za-z0-9/+=]{40}$"),
                 re.compile(r"\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}"))


@dataclass(frozen=True)
class DeployTarget:
    name: str
    kind: str
    """git, rsync or s3."""
    url: str
    """As written in sitegen.toml."""
    location: str
    """What the tool is given: the git remote, the rsync destination (ending in /), or the bucket."""
    branch: str = ""
    """git: the branch the site is committed to."""
    prefix: str = ""
    """s3: the key prefix inside the bucket ('' or ending in /)."""
    tree: str = ""
    """The folder of public/ holding the host this target serves: '' for the site's own host."""
    host: str = ""
    cname: str = ""
    endpoint_url: str = ""
    region: str = ""
    max_deletes: int = 256
    cache_control: str = SHORT_CACHE
    cache_control_fingerprinted: str = LONG_CACHE


def read_targets(table: Any, hosts: dict[str, str], problems: list[Problem]) -> tuple[DeployTarget, ...]:
    """The [deploy.NAME] tables. `hosts`: each host name the site serves (from its base URLs) and
    the folder of public/ that holds it ('' for the site's own)."""
    if not isinstance(table, dict):
        problems.append(Problem("deploy", "must hold tables such as [deploy.pages]"))
        return ()
    targets = []
    for name, item in sorted(table.items()):
        where = f"deploy.{name}"
        if not TARGET_NAME.match(name):
            problems.append(Problem(where, "name must match [a-z0-9][a-z0-9_-]*"))
            continue
        if isinstance(item, dict):
            _no_secrets(item, where, problems)
            item = {key: value for key, value in item.items() if not SECRET_NAMES.search(key)}
        values = read_table(item, TARGET_KEYS, where, problems)
        target = _target(name, values, where, problems)
        if target is not None:
            targets.append(_with_host(target, hosts, where, problems))
    return tuple(targets)


def _no_secrets(item: dict, where: str, problems: list[Problem]) -> None:
    for key, value in item.items():
        if SECRET_NAMES.search(key):
            problems.append(Problem(f"{where}.{key}", "credentials never go in sitegen.toml: use the environment "
                                                      "(AWS_ACCESS_KEY_ID …, ~/.aws) or ssh keys and git's helpers"))
        elif isinstance(value, str) and (any(p.search(value) for p in SECRET_VALUES) or _password_in_url(value)):
            problems.append(Problem(f"{where}.{key}", "looks like a credential: credentials never go in "
                                                      "sitegen.toml; use the environment or ssh keys"))


def _password_in_url(value: str) -> bool:
    try:
        return urlsplit(value).password is not None
    except ValueError:
        return False


def _target(name: str, values: dict, where: str, problems: list[Problem]) -> DeployTarget | None:
    url: str = values["url"]
    options = {k: values[k] for k in ("host", "cname", "endpoint_url", "region", "max_deletes", "cache_control",
                                      "cache_control_fingerprinted")}
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme in ("git+ssh", "git+https", "git+file", "git+http"):
        remote = url[len("git+"):].split("#", 1)[0]
        return DeployTarget(name, "git", url, remote, branch=parts.fragment or DEFAULT_BRANCH, **options)
    if parts.scheme == "s3":
        if not parts.netloc:
            problems.append(Problem(f"{where}.url", f"{url!r} names no bucket: s3://bucket/prefix"))
            return None
        prefix = parts.path.strip("/")
        return DeployTarget(name, "s3", url, parts.netloc, prefix=f"{prefix}/" if prefix else "", **options)
    if parts.scheme == "rsync" or _ssh_path(url) or not parts.scheme:
        return DeployTarget(name, "rsync", url, url.rstrip("/") + "/", **options)
    problems.append(Problem(f"{where}.url", f"{url!r}: not a deploy URL (git+ssh://, git+https://, git+file://, "
                                            "rsync://, host:path, a folder, or s3://bucket/prefix)"))
    return None


def _ssh_path(url: str) -> bool:
    """rsync's `host:path` and `user@host:path` (a colon before any slash, and no scheme)."""
    head = url.split("/", 1)[0]
    return ":" in head and "://" not in url and not PurePosixPath(url).is_absolute()


def _with_host(target: DeployTarget, hosts: dict[str, str], where: str, problems: list[Problem]) -> DeployTarget:
    """The tree of public/ the target publishes: the named host's, or the site's own when the site
    has one host; a site of several hosts must say which."""
    if target.host:
        if target.host not in hosts:
            problems.append(Problem(f"{where}.host", f"{target.host!r} is not a host of the site "
                                                     f"({', '.join(sorted(hosts))})"))
            return target
        return DeployTarget(**{**vars(target), "tree": hosts[target.host]})
    if len(hosts) > 1:
        problems.append(Problem(f"{where}.host", f"is required: the site is served from several hosts "
                                                 f"({', '.join(sorted(hosts))}); say which one this target publishes"))
    return target
