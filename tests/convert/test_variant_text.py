"""Text from the settings in each variant's script: worked out once, then remembered from build to build."""

from __future__ import annotations

from sitegen.build import build
from sitegen.config import load_config
from sitegen.convert import variant_text
from tests.helpers import article, edit_settled, settle


def test_the_settings_are_converted_once_and_remembered_by_later_builds(make_site, monkeypatch):
    """The site's title and its sources' names are on every page: a later build, in a process of
    its own, takes them as converted before (their script is not even told again), and pages say
    the same."""
    root = make_site(files={f"content/{n}.md": article(id=f"a{n}", body=f"正文{n}") for n in range(3)})
    settle(root)
    told = []
    real_detect = variant_text.detect_script
    monkeypatch.setattr(variant_text, "detect_script",
                        lambda text, *args: (told.append(text), real_detect(text, *args))[1])
    assert not build(load_config(root)).report.failed
    config = load_config(root)
    assert config.site.title in told
    first = (root / "public/zh-hant/index.html").read_bytes()
    told.clear()
    edit_settled(root / "content/1.md", "正文1", "改过的正文1")
    assert not build(config).report.failed
    assert told == []
    assert (root / "public/zh-hant/index.html").read_bytes() == first
