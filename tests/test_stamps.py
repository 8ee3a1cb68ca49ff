"""Fingerprints of a build's inputs: which library versions shape a page."""

from __future__ import annotations

from importlib import metadata

from sitegen.stamps import LIBRARIES, installed_versions


def test_library_versions_are_read_as_importlib_metadata_reads_them():
    """The cache's version check reads the installed versions without importlib.metadata (slow to
    import): it must find what that finds, for every library that shapes a page."""
    found = installed_versions()
    assert {library: found.get(library.replace("-", "_")) for library in LIBRARIES} == \
        {library: metadata.version(library) for library in LIBRARIES}
