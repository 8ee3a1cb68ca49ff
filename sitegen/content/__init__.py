"""Articles on disk: `content/**/*.md` with YAML front matter."""
