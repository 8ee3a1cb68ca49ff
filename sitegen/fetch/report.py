"""How a fetch run tells what it did: a progress bar, a line per source, or JSON."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from typing import TextIO

from sitegen.errors import Report
from sitegen.fetch.ingest import SourceResult


def source_line(result: SourceResult) -> str:
    if result.status == "failed":
        return f"{result.source}: failed: {result.error}"
    if result.status == "not modified":
        return f"{result.source}: not modified"
    return f"{result.source}: {result.new} new, {result.updated} updated, {result.unchanged} unchanged"


def print_fetch_lines(results: list[SourceResult], report: Report, out: TextIO = sys.stdout,
                      err: TextIO = sys.stderr) -> None:
    for result in results:
        print(source_line(result), file=out)
    for problem in report.problems:
        print(problem, file=err)
    failed = sum(r.status == "failed" for r in results)
    print(f"fetched {len(results) - failed} of {len(results)} sources: {report.summary()}", file=out)


def print_fetch_json(results: list[SourceResult], report: Report, out: TextIO = sys.stdout) -> None:
    document = {
        "sources": [asdict(r) for r in results],
        "totals": {key: sum(getattr(r, key) for r in results) for key in ("new", "updated", "unchanged")}
        | {"failed": sum(r.status == "failed" for r in results)},
        "problems": [asdict(p) for p in report.problems],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
