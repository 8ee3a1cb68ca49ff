"""Outputs besides pages: feeds, sitemap and robots.txt."""
