"""Adding [[sources]] tables to sitegen.toml without changing a byte of what is there.

The tables are written by tomlkit (so every string is escaped as TOML wants) and added at the
end of the file, after a blank line: TOML lets an array of tables go on after other tables.
tomlkit's own insertion into a parsed document was not used: it puts the new tables right
against the ones before and after them, with no blank line, and against the last value when
the file does not end in a newline, which is not valid TOML.

The new file must load as a site config before it replaces the old one, atomically.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Mapping, Sequence

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import AoT

from sitegen.config import CONFIG_FILE, parse_config
from sitegen.errors import ConfigError, Problem, SitegenError
from sitegen.fsutil import atomic_write

NOT_IN_COMMENT = re.compile(r"[\x00-\x1f\x7f]+")
"""Characters a TOML comment cannot hold (a file name may)."""


def append_sources(root: Path, tables: Sequence[Mapping[str, str]], comment: str = "") -> None:
    """Add one [[sources]] table per mapping to `root`/sitegen.toml, under a `# comment` line.
    Nothing is written if the result would not load (ConfigError, or SitegenError saying why)."""
    path = root / CONFIG_FILE
    old = path.read_bytes().decode("utf-8")  # bytes: a text read would turn CRLF line ends into LF
    _check_sources_are_tables(old, path)
    newline = "\r\n" if "\r\n" in old else "\n"
    added = _tables_text(tables, comment).replace("\n", newline)  # tomlkit escapes newlines in strings
    new = old + _blank_line_after(old, newline) + added
    _check_loads(new, root)
    try:
        atomic_write(path.resolve(), new.encode("utf-8"))  # resolved: a symbolic link stays one
    except OSError as exc:  # it names the temporary file: name the one the user knows
        raise SitegenError(f"{path}: cannot be written: {exc.strerror or exc}; it is as it was") from None


def _check_sources_are_tables(text: str, path: Path) -> None:
    try:
        sources = tomlkit.parse(text).get("sources")
    except TOMLKitError as exc:
        raise SitegenError(f"{path}: cannot be edited: {exc}; nothing was written") from None
    if sources is not None and not isinstance(sources, AoT):
        raise SitegenError(f"{path}: `sources` is written as an inline array; write each source as a "
                           "[[sources]] table to import into it; nothing was written")


def _tables_text(tables: Sequence[Mapping[str, str]], comment: str) -> str:
    document = tomlkit.document()
    array = tomlkit.aot()
    for values in tables:
        table = tomlkit.table()
        table.update(values)
        array.append(table)
    document.append("sources", array)
    heading = f"# {NOT_IN_COMMENT.sub(' ', comment)}\n" if comment else ""
    return heading + tomlkit.dumps(document)


def _blank_line_after(text: str, newline: str) -> str:
    if not text or text.endswith(newline * 2):
        return ""
    return newline if text.endswith("\n") else newline * 2


def _check_loads(text: str, root: Path) -> None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SitegenError(f"{CONFIG_FILE} with the new sources would not be valid TOML ({exc}); "
                           "nothing was written") from None
    try:
        parse_config(data, root)
    except ConfigError as exc:
        raise ConfigError(Problem(f"{CONFIG_FILE} with the new sources: {p.where}", p.message)
                          for p in exc.problems) from None
