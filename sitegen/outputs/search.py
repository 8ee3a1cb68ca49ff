"""Site search: each variant's search page, and a Pagefind index of its article pages, made by
the build like any other output and made again only when an article page changed.

Each variant has its own index at `<variant>/pagefind/`, beside its pages (so a variant on a
host of its own and a site under a sub-path find it alike), read by the theme's search page
through pagefind.js. A reader may type either script: each page is indexed together with the
same story's text in the other script (the other variant's page of it), so 头发 finds 頭髮 on
the Traditional site and back, and every result is the reader's own page. Pagefind is a program
of its own (the `pagefind-bin-extended` wheel, whose binary segments Chinese); it reads a
temporary copy of the article pages that holds both texts, never public/ itself.

Indexing takes seconds per thousand pages, so `sitegen serve` asks for it `later`: its builds
keep the last index and hand back a `SearchJob`, which serve runs in the background
(`make_index`) and gives to a later build (`BuildOptions.search_index`) to write, if the pages
are still the ones it indexed.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import cbor2

from sitegen.stamps import installed_versions
from sitegen.config import VariantConfig
from sitegen.digests import digest
from sitegen.errors import SitegenError
from sitegen.model import Output
from sitegen.outputs.pagefind_order import in_fixed_order
from sitegen.outputs.produce import Producer, Run
from sitegen.render.pages import search_page

if TYPE_CHECKING:
    import subprocess

BUNDLE_SKIPPED = re.compile(r"^(?:pagefind-(?:ui|modular-ui|component-ui|highlight)\.(?:js|css)|playground/.*)$")
"""Pagefind's own search interfaces: the theme's search page uses pagefind.js alone."""
ARTICLE = re.compile(rb"<article\b[^>]*>(.*?)</article>", re.S)
TAG = re.compile(rb"<[^>]*>")
BODY_END = re.compile(rb"</body>", re.I)
PAGEFIND_SECONDS = 600
STOP_CHECK_SECONDS = 0.1
"""How often a running Pagefind is checked on: whether serve is stopping."""


class SearchIndexError(SitegenError):
    """Pagefind could not index the pages; the message says why in one line."""


@dataclass(frozen=True)
class SearchJob:
    """What one variant's index is made from: the article pages (their paths in the output
    folder, each with the same story's page in the other script), and the key they make."""

    variant: str
    key: str
    bundle: str
    """The output folder's path of the index (`zh-hans/pagefind/`)."""
    pages: tuple[tuple[str, str, str], ...]
    """(page's URL path, its file, the other script's file or '') for each article page."""


IndexFiles = dict[str, tuple[str, list[Output]]]
"""Indexes made in the background: variant -> (key, files)."""


class SearchPages(Producer):
    name = "search index"

    def finish(self, run: Run) -> None:
        if not run.site.config.site.search:
            return  # nothing made: the last index and search pages go as the records say
        for renderer in run.renderers:
            path = run.site.urls.search(renderer.variant)
            run.listings.append(Output(run.site.urls.output_file(path, renderer.variant), b"", "search.html", page=path,
                                       variant=renderer.variant.name))
            run.group(f"{renderer.variant.name} search page", renderer.keys.page("search", path),
                      [run.site.urls.output_file(path, renderer.variant)], lambda r=renderer, p=path: [search_page(r, p)])
        if run.search == "later" and not run.search_index:
            # A rebuild for a save: the last index stays, and what is out of date is worked out when
            # asked, after the pages are written (the keys of every article page take a while).
            for renderer in run.renderers:  # thousands of files: kept by their records, not stat'ed one by one
                self._keep_last(run, bundle_of(run, renderer.variant), renderer.variant.name, checked=False)
            run.search_jobs = lambda: [job for job in search_jobs(run) if job.pages and not _current(run, job)]
            return
        # No articles, no index: pagefind.js then says the search is unavailable, as it should.
        to_make = [job for job in search_jobs(run) if job.pages and not self._kept_or_given(run, job)]
        if run.search == "later":
            run.search_jobs = lambda: to_make
            return
        with ThreadPoolExecutor(max_workers=max(1, len(to_make))) as pool:  # a Pagefind per variant, side by side
            made = list(pool.map(lambda job: _made_or_problem(job, run.writer.current), to_make))
        for job, files in zip(to_make, made):
            if isinstance(files, SearchIndexError):
                run.writer.report.error(f"{job.variant} search index", f"{files}; the last index was kept")
                self._keep_last(run, job.bundle, job.variant)
            else:
                for output in files:
                    run.writer.put(output, job.key)

    def _kept_or_given(self, run: Run, job: SearchJob) -> bool:
        """The index as recorded when it is current (or, `later`, whatever it is until the new one
        comes), or the one made in the background when it is of these pages: written."""
        if _current(run, job):
            self._keep_last(run, job.bundle, job.variant)
            return True
        given = (run.search_index or {}).get(job.variant)
        if given is not None and given[0] == job.key:
            for output in given[1]:
                run.writer.put(output, job.key)
            return True
        if run.search == "later":
            self._keep_last(run, job.bundle, job.variant)  # the last index serves until the new one is made
        return False

    @staticmethod
    def _keep_last(run: Run, bundle: str, variant: str, checked: bool = True) -> None:
        """Keep the index the last build wrote (`checked`: only its files still as written)."""
        for path in [p for p in run.writer.old_records if p.startswith(bundle)]:
            if not checked or run.writer.is_intact(path):
                run.writer.keep(path, f"{variant} search index")


def _current(run: Run, job: SearchJob) -> bool:
    """The index the last build recorded is of these pages."""
    old = [path for path in run.writer.old_records if path.startswith(job.bundle)]
    return bool(old) and all(run.writer.is_current(path, job.key) for path in old)


def bundle_of(run: Run, variant: VariantConfig) -> str:
    """The folder of the output that holds the variant's index (`zh-hans/pagefind/`)."""
    urls = run.site.urls
    return urls.output_file(urls.search_bundle(variant), variant).removesuffix("index.html")


def search_jobs(run: Run) -> list[SearchJob]:
    """One job per variant: its article pages, each with the other script's page of the story."""
    site, urls, jobs, version = run.site, run.site.urls, [], _pagefind_version()
    files = {r.variant.name: [urls.output_file(urls.article(a, r.variant), r.variant) for a in site.articles]
             for r in run.renderers}
    for renderer in run.renderers:
        variant = renderer.variant
        other = next((r.variant.name for r in run.renderers if r.variant.script != variant.script), "")
        pages = tuple((urls.article(article, variant), own, files[other][n] if other else "")
                      for n, (article, own) in enumerate(zip(site.articles, files[variant.name])))
        keys = [(own, run.writer.key_of(own), theirs, run.writer.key_of(theirs)) for _, own, theirs in pages]
        jobs.append(SearchJob(variant.name, digest("search index", version, variant.name, keys),
                              bundle_of(run, variant), pages))
    return jobs


def _made_or_problem(job: SearchJob, read: Callable[[str], bytes]) -> list[Output] | SearchIndexError:
    try:
        return make_index(job, read)
    except SearchIndexError as exc:
        return exc


def make_index(job: SearchJob, read: Callable[[str], bytes], background: bool = False,
               stop: threading.Event | None = None) -> list[Output]:
    """The variant's Pagefind bundle as outputs, from the article pages `read` gives by file.
    `background`: Pagefind runs at a low CPU priority (serve: a rebuild for a save goes first).
    `stop`: once set, the work ends soon with SearchIndexError, Pagefind killed and the temporary
    copy removed (serve stopping while it indexes leaves nothing behind in the temporary folder)."""
    with tempfile.TemporaryDirectory(prefix="sitegen-search-") as folder:
        pages, bundle = Path(folder, "pages"), Path(folder, "bundle")
        for url_path, own, theirs in job.pages:
            if stop is not None and stop.is_set():
                raise SearchIndexError("stopped")
            page, other = _read_or_none(read, own), _read_or_none(read, theirs) if theirs else b""
            if page is None:
                continue  # not made (its template failed, said already): not searchable until it is
            target = pages / (url_path.lstrip("/") + ("index.html" if url_path.endswith("/") else ""))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(with_other_script(page, other or b""))
        if not pages.exists():
            return []  # no page could be read (each said already): no index until there is one
        _run_pagefind(pages, bundle, background, stop)
        made = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in bundle.rglob("*") if p.is_file()}
    try:
        ordered = in_fixed_order({path: data for path, data in made.items() if not BUNDLE_SKIPPED.match(path)})
    except (ValueError, OSError, cbor2.CBORError) as exc:  # a Pagefind whose files read otherwise
        raise SearchIndexError(f"Pagefind wrote files this sitegen cannot put in order ({exc})") from None
    return [Output(job.bundle + path, data, f"{job.variant} search index") for path, data in ordered.items()]


def _read_or_none(read: Callable[[str], bytes], path: str) -> bytes | None:
    try:
        return read(path)
    except OSError:
        return None


def with_other_script(page: bytes, other: bytes) -> bytes:
    """The page, with the text of the other script's page of the story as a second part to index
    (its words only: no markup, no Pagefind attributes of its own)."""
    found = ARTICLE.search(other)
    if not found:
        return page
    text = b" ".join(TAG.sub(b" ", found.group(1)).split())
    return BODY_END.sub(lambda _: b'<div data-pagefind-body><p>' + text + b"</p></div></body>", page, count=1)


def _executable() -> str:
    """The Pagefind binary of the `pagefind-bin-extended` wheel (the one that segments Chinese)."""
    from pagefind_bin_extended import get_executable
    return str(get_executable())


def _run_pagefind(pages: Path, bundle: Path, background: bool = False, stop: threading.Event | None = None) -> None:
    import subprocess  # only when Pagefind runs: a small build without search never imports it

    try:
        program = _executable()
    except (ImportError, FileNotFoundError) as exc:
        raise SearchIndexError(f"Pagefind is not installed ({exc}): pip install 'pagefind-bin-extended>=1.5,<1.6', "
                               "or build with --no-search") from None
    nice = shutil.which("nice") if background else None
    command = [*([nice, "-n", "15"] if nice else []), program, "--site", str(pages), "--output-path", str(bundle),
               "--quiet"]
    try:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as pagefind:
            said = _output_unless_stopped(pagefind, stop)
    except OSError as exc:
        raise SearchIndexError(f"Pagefind did not run: {exc}") from None
    if pagefind.returncode != 0 or not (bundle / "pagefind.js").exists():
        said = " ".join(said.split())[-300:]
        raise SearchIndexError(f"Pagefind failed (exit {pagefind.returncode}): {said}")


def _output_unless_stopped(pagefind: subprocess.Popen, stop: threading.Event | None) -> str:
    """What Pagefind said (stderr, else stdout) once it ended; killed when `stop` is set or it
    runs out of time, then SearchIndexError."""
    from subprocess import TimeoutExpired

    deadline = time.monotonic() + PAGEFIND_SECONDS
    while True:
        try:
            out, err = pagefind.communicate(timeout=STOP_CHECK_SECONDS)
            return err or out
        except TimeoutExpired:
            pass
        stopped = stop is not None and stop.is_set()
        if stopped or time.monotonic() > deadline:
            pagefind.kill()
            pagefind.communicate()
            raise SearchIndexError("stopped" if stopped else
                                   f"Pagefind did not run: it took more than {PAGEFIND_SECONDS} s")


def _pagefind_version() -> str:
    """The installed Pagefind's version ('' when there is none: the index then says why it cannot
    be made), read as the build cache reads its libraries' (importlib.metadata is slow to import)."""
    return installed_versions().get("pagefind_bin_extended", "")
