"""Names the screenshot folder at the end of the run, so a person knows where to look."""

import pytest

from tests.browser import SCREENSHOT_FOLDER


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    folder = config.stash.get(SCREENSHOT_FOLDER, None)
    if folder is not None:
        count = len(list(folder.glob("*.png")))
        terminalreporter.write_line(f"screenshots: {folder} ({count} pictures)")
