"""A site's own images: their sizes, and the smaller renditions pages offer phones (see catalog.py)."""
