"""The build recipe: content + config + theme -> public/."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from sitegen.config import SiteConfig
from sitegen.content.store import load_articles
from sitegen.convert.glossary import site_terms
from sitegen.convert.opencc import Converters, UnknownConverterError
from sitegen.errors import ConfigError, Problem, Report
from sitegen.model import Output
from sitegen.outputs.feeds import feed_outputs
from sitegen.outputs.sitemap import sitemap_outputs
from sitegen.render import markdown
from sitegen.render.pages import PageCollector, VariantRenderer, render_site
from sitegen.render.templates import new_environment
from sitegen.site.assemble import assemble
from sitegen.static import static_outputs
from sitegen.write import write_outputs


@dataclass
class BuildResult:
    report: Report
    timings: dict[str, float] = field(default_factory=dict)


def build(config: SiteConfig, output_dir: Path | None = None) -> BuildResult:
    result = BuildResult(Report())
    report, timings = result.report, result.timings
    converters = check_converters(config)
    with _timed(timings, "load"):
        articles = load_articles(config.content_dir, report)
    # 國際 and 国际 are one category: names meet in their Simplified form
    site = assemble(config, articles, report, same_name=converters.get("t2s"))
    env, collect = new_environment(config.templates_dir), PageCollector()
    with _timed(timings, "render"):
        pages = render_site(site, converters, env, collect)
    with _timed(timings, "feeds"):
        md = markdown.new_parser()
        for variant in config.variants:
            renderer = VariantRenderer(site, variant, converters, env, md)
            pages += collect(f"{variant.name} feeds", lambda: list(feed_outputs(renderer)))
        extras = sitemap_outputs(site, pages) + _static_for_every_host(site.urls.tree, config)
    collect.report_to(report)
    with _timed(timings, "write"):
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
