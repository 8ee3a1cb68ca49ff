#!/usr/bin/env python3
"""How long `sitegen deploy` takes to each kind of target: a bare git repository, a folder with
rsync, and an S3 API server on 127.0.0.1 (moto, from the test extras) — the first deploy, an
unchanged one, and one after a single article was edited and the site built again.

    python bench/deploy_bench.py                 # the demo site and a 5,000-article corpus
    python bench/deploy_bench.py --articles 1000 --no-demo

Each deploy runs as the command a cron job runs (`python -m sitegen deploy NAME --no-check`,
the check is timed on its own by bench/check_bench.py), right after the build, as cron does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run(command: list[str], cwd: Path | None = None, env: dict | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return seconds, done.stdout.strip().splitlines()[0] if done.stdout.strip() else ""


def sitegen(*args: str, env: dict | None = None) -> tuple[float, str]:
    return run([sys.executable, "-m", "sitegen", *args], env=env)


def demo_site(work: Path) -> Path:
    site = work / "demo"
    site.mkdir()
    shutil.copy(REPO / "sitegen.toml", site)
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, site / folder)
    return site


def corpus(work: Path, n: int) -> Path:
    site = work / f"corpus-{n}"
    run([sys.executable, str(REPO / "bench/make_corpus.py"), str(site), "--articles", str(n), "--force"])
    return site


def add_targets(site: Path, work: Path, endpoint: str) -> None:
    bare = work / f"{site.name}-pages.git"
    subprocess.run(["git", "init", "--bare", "--quiet", str(bare)], check=True)
    with (site / "sitegen.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[deploy.git]\nurl = "git+file://{bare}"\n'
                     f'\n[deploy.rsync]\nurl = "{work / (site.name + "-www")}"\n'
                     f'\n[deploy.s3]\nurl = "s3://bench/{site.name}"\nendpoint_url = "{endpoint}"\n')


def bench_site(site: Path, label: str, work: Path, endpoint: str, env: dict) -> None:
    add_targets(site, work, endpoint)
    seconds, said = sitegen("build", "--site", str(site))
    pages = sum(1 for _ in (site / "public").rglob("*.html"))
    print(f"{label}: built {pages:,} pages in {seconds:.1f} s", flush=True)
    for target in ("git", "rsync", "s3"):
        first = sitegen("deploy", target, "--no-check", "--site", str(site), env=env)
        again = sitegen("deploy", target, "--no-check", "--site", str(site), env=env)
        article = sorted((site / "content").rglob("*.md"))[len(list((site / "content").rglob("*.md"))) // 2]
        with article.open("a", encoding="utf-8") as f:
            f.write(f"\nBENCH{target}新增一段。\n")
        sitegen("build", "--site", str(site))
        edited = sitegen("deploy", target, "--no-check", "--site", str(site), env=env)
        for name, (secs, line) in (("first", first), ("unchanged", again), ("one article", edited)):
            print(f"{label}: {target:<5} {name:<12} {secs:6.2f} s   {line}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, nargs="*", default=[5000])
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()
    import logging

    import boto3
    from moto.server import ThreadedMotoServer  # the test extras

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs every request

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
           "AWS_DEFAULT_REGION": "us-east-1", "AWS_EC2_METADATA_DISABLED": "true"}
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench",
                 aws_secret_access_key="bench").create_bucket(Bucket="bench")
    work = Path(tempfile.mkdtemp(prefix="deploy-bench-"))
    try:
        if not args.no_demo:
            bench_site(demo_site(work), "demo", work, endpoint, env)
        for n in args.articles:
            bench_site(corpus(work, n), f"{n:,} articles", work, endpoint, env)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
