"""The sources of a site as an editor runs them: OPML in and out, a table of them, and their health."""
