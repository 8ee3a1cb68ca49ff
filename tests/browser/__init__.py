"""Tests in a real headless Chromium (Debian's), driven by Playwright."""

from pathlib import Path

import pytest

# Where this run's screenshots went; conftest.py names the folder at the end of the run.
SCREENSHOT_FOLDER = pytest.StashKey[Path]()
