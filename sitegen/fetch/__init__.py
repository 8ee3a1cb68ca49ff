"""Feeds -> content/: download, parse, clean, store."""
