"""The build recipe: content + config + theme -> public/."""

from __future__ import annotations

import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import ContextManager, Iterator

from sitegen.config import SiteConfig
from sitegen.content.store import load_articles
from sitegen.convert.glossary import site_terms
from sitegen.convert.opencc import Converters, UnknownConverterError
from sitegen.errors import ConfigError, Problem, Report
from sitegen.model import Output
from sitegen.outputs.feeds import feed_outputs
from sitegen.outputs.sitemap import sitemap_outputs
from sitegen.render.pages import PageCollector, make_renderers, render_site
from sitegen.render.templates import new_environment
from sitegen.site.assemble import assemble
from sitegen.static import static_outputs
from sitegen.write import write_outputs


@dataclass
class BuildResult:
    report: Report
    timings: dict[str, float] = field(default_factory=dict)


def build(config: SiteConfig, output_dir: Path | None = None, *, converters: Converters | None = None,
          write_guard: ContextManager | None = None, keep_last_good: bool = False) -> BuildResult:
    """Build the site. `converters`: warm ones to reuse (serve); `write_guard`: held while files are
    written (serve's lock, so no reader sees half a site); `keep_last_good`: write nothing if anything
    failed, so public/ stays the last good site."""
    result = BuildResult(Report())
    report, timings = result.report, result.timings
    converters = converters or check_converters(config)
    with _timed(timings, "load"):
        articles = load_articles(config.content_dir, report)
    # 國際 and 国际 are one category: names meet in their Simplified form
    site = assemble(config, articles, report, same_name=converters.get("t2s"))
    renderers, collect = make_renderers(site, converters, new_environment(config.templates_dir)), PageCollector()
    with _timed(timings, "render"):
        pages = render_site(renderers, collect)
    with _timed(timings, "feeds"):
        for renderer in renderers:
            pages += collect(f"{renderer.variant.name} feeds", lambda: list(feed_outputs(renderer)))
        extras = sitemap_outputs(site, pages) + _static_for_every_host(site.urls.tree, config)
    collect.report_to(report)
    if keep_last_good and report.failed:
        report.count("articles", len(articles))
        return result
    with _timed(timings, "write"), (write_guard or nullcontext()):
        written = write_outputs(output_dir or config.output_dir, pages + extras, report)
    report.count("articles", len(articles))
    report.count("files written", written.written)
    report.count("unchanged", written.unchanged)
    report.count("removed", written.removed)
    return result


def _static_for_every_host(tree, config: SiteConfig) -> list[Output]:  # noqa: ANN001
    """The theme's and the site's static files, in the tree of every host."""
    files = static_outputs(config.static_dir)
    trees = sorted({tree(None), *(tree(v) for v in config.variants)})
    return [Output(prefix + f.path, f.data, f.origin) for prefix in trees for f in files]


def check_converters(config: SiteConfig) -> Converters:
    """Build every converter the variants name, so a bad name fails before any work."""
    converters, problems = Converters(site_terms(config.root, config.glossary.presets)), []
    for variant in config.variants:
        for key in ("from_hans", "from_hant"):
            try:
                converters.get(getattr(variant, key))
            except UnknownConverterError as exc:
                problems.append(Problem(f"variants.{variant.name}.{key}", str(exc)))
    if problems:
        raise ConfigError(problems)
    return converters


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - start
