"""The theme's and the site's static files, copied into the tree of every host."""

from __future__ import annotations

from sitegen.model import Output
from sitegen.outputs.produce import Producer, Run
from sitegen.outputs.withdrawn import written_by_rules
from sitegen.static import static_outputs


class StaticFiles(Producer):
    name = "static files"

    def finish(self, run: Run) -> None:
        site = run.site
        files = static_outputs(site.config.static_dir, run.writer.report)
        for tree in site.trees():
            for file in files:
                if written_by_rules(run, tree + file.path):
                    continue  # the site's own _redirects, already written after the withdrawn stories' rules
                run.writer.put(Output(tree + file.path, file.data, file.origin))
