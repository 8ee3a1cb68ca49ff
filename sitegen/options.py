"""Checking what a user typed before any work starts: every mistake is one line and status 2.

argparse's own errors print the usage too, several lines: here they are one line, like every
other problem sitegen reports (`error: --port: ...`). Folders and files named on the command
line are checked here, so a typo never ends in a traceback or in half-done work.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import NoReturn

from sitegen.config import SiteConfig
from sitegen.errors import SitegenError

MAX_DURATION = 7 * 24 * 3600
"""Longest --fetch-every: a longer timer is a typo, and the thread timers cannot wait for ever."""
SITE_FOLDERS = ("content", "templates", "static", "public", ".sitegen")


class OneLineParser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line on stderr and exit status 2."""

    def error(self, message: str) -> NoReturn:
        message = message.removeprefix("argument ")
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


# ---- option types: argparse calls them, and reports what they raise as one line ----

def port_number(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (1-65535)")
    return port


def positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return number


def parse_duration(text: str) -> float:
    """Seconds in `90s`, `10m`, `1h` (a bare number is seconds)."""
    units = {"s": 1, "m": 60, "h": 3600}
    number, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "s")
    try:
        seconds = float(number) * units[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration such as 10m") from None
    if not math.isfinite(seconds) or seconds > MAX_DURATION:
        raise argparse.ArgumentTypeError(f"{text!r} is longer than a week")
    if seconds < 10:
        raise argparse.ArgumentTypeError(f"{text!r}: at least 10s, to be polite to the feeds")
    return seconds


# ---- folders and files ----

def check_site_folder(site: Path) -> None:
    """--site must name a folder that is there (sitegen.toml in it is checked when it is read)."""
    if not site.exists():
        raise SitegenError(f"--site {site}: no such folder")
    if not site.is_dir():
        raise SitegenError(f"--site {site}: not a folder")


def check_site_layout(config: SiteConfig) -> None:
    """The site's own folders, where present, must be folders: a file named `content` would
    otherwise read as an empty site and a build would take every page down."""
    for name in SITE_FOLDERS:
        path = config.root / name
        if path.exists() and not path.is_dir():
            raise SitegenError(f"{path}: not a folder; nothing was done")


def read_text_input(path: Path | None) -> str:
    """A UTF-8 text file, or standard input; newlines read as text mode reads them."""
    where = str(path) if path else "standard input"
    try:
        data = path.read_bytes() if path else sys.stdin.buffer.read()
    except IsADirectoryError:
        raise SitegenError(f"{where}: is a folder, not a file") from None
    except FileNotFoundError:
        raise SitegenError(f"{where}: no such file") from None
    except OSError as exc:
        raise SitegenError(f"{where}: cannot be read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SitegenError(f"{where}: not UTF-8 text (byte {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")
