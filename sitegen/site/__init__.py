"""The site's structure: URLs, ordering, listings."""
