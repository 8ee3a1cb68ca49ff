"""Split a Markdown file into its YAML front matter and body, and join them back.

YAML 1.1 turns `date: 2023-09-13` into a date object and `draft: no` or a
country code `NO` into False. The loader here keeps timestamps as strings
(we parse them ourselves, with their offset) and reads only true/false as booleans.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from sitegen.errors import ContentError

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)


class _Loader(_SafeLoader):  # type: ignore[misc, valid-type]
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class FrontMatterError(ContentError, ValueError):
    """The file has no front matter, or it is not a YAML mapping."""


def split(text: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a Markdown file's text."""
    text = text.removeprefix("\ufeff")
    match = FENCE.match(text)
    if not match:
        raise FrontMatterError("no front matter: the file must start with a line '---'")
    try:
        meta = yaml.load(match.group(1), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"front matter is not valid YAML: {_one_line(exc)}") from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        # PyYAML's constructors fail so on a tagged value they cannot read (`!!int x`, `!!timestamp 2024-13-01`,
        # an empty `!!bool`) and on an int of more than 4,300 digits.
        shown = " ".join(f"{type(exc).__name__}: {exc}".split())[:120]
        raise FrontMatterError(f"front matter is not valid YAML: a value cannot be read ({shown})") from None
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of keys to values")
    return meta, text[match.end():].lstrip("\r\n")


def body_of(text: str) -> str:
    """The body alone, as `split` gives it (the front matter is not read)."""
    text = text.removeprefix("\ufeff")
    match = FENCE.match(text)
    return text[match.end():].lstrip("\r\n") if match else text


def join(meta: dict[str, Any], body: str) -> str:
    """The file text for `meta` and `body`; stable for the same input."""
    dumped = yaml.dump(meta, Dumper=_SafeDumper, allow_unicode=True, sort_keys=False,
                       default_flow_style=False, width=1_000_000)
    body = body.strip("\n")
    return f"---\n{dumped}---\n\n{body}\n"


def _one_line(exc: yaml.YAMLError) -> str:
    # A ReaderError (a control character, a NUL) has no problem_mark, and says where on a second line.
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
    where = f" (line {mark.line + 2}, column {mark.column + 1})" if mark else ""
    return " ".join(f"{problem}{where}".split())
