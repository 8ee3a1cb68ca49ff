"""The Jinja2 environment (the site's templates/ first, then the bundled theme), and template problems."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import jinja2

from sitegen.errors import SitegenError
from sitegen.schema import THEME_DIR


class TemplateProblem(SitegenError):
    """A template failed to load or render; the message names file and line."""


def new_environment(site_templates: Path, compiled: Path | None = None) -> jinja2.Environment:
    """`compiled`: a folder to keep the templates compiled in, so that a process that renders a few
    pages does not compile every template first (Jinja2 checks each against its source)."""
    if compiled is not None:
        compiled.mkdir(parents=True, exist_ok=True)
    loaders = [jinja2.FileSystemLoader(str(site_templates))] if site_templates.is_dir() else []
    loaders.append(jinja2.FileSystemLoader(str(THEME_DIR / "templates")))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(("html", "xml"), default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        auto_reload=False,  # one environment per build: checking every file's mtime on each page is waste
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(compiled)) if compiled is not None else None,
    )


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render `name`; any template problem becomes one TemplateProblem line."""
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateProblem(f"{exc.filename or exc.name}:{exc.lineno}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateProblem(f"template not found: {exc.name}") from None
    except jinja2.TemplateError as exc:
        raise TemplateProblem(f"{_failing_line(exc, name)}: {exc}") from None
    except Exception as exc:  # a template may divide by zero or call what is not callable
        raise TemplateProblem(f"{_failing_line(exc, name)}: {type(exc).__name__}: {exc}") from None


def _failing_line(exc: BaseException, name: str) -> str:
    """`file:line` of the template where rendering failed (Jinja rewrites the traceback)."""
    tb, where = exc.__traceback__, name
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


class PageCollector:
    """Gathers outputs; a template problem is reported once, however many pages it breaks."""

    def __init__(self) -> None:
        self.failures: dict[str, list[str]] = {}

    def __call__(self, where: str, make: Callable[[], list]) -> list:
        try:
            return make()
        except TemplateProblem as exc:
            self.failed(where, str(exc))
            return []

    def failed(self, where: str, message: str) -> None:
        self.failures.setdefault(message, []).append(where)

    def report_to(self, report) -> None:  # noqa: ANN001
        for message, places in self.failures.items():
            others = len(places) - 1
            more = f" (and {others} more page{'s' * (others > 1)})" if others else ""
            report.error(places[0], f"template: {message}{more}")
