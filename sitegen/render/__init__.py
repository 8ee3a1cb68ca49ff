"""Markdown and Jinja2 rendering."""
