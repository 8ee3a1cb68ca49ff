"""A file in templates/ that the theme never loads by name is a warning naming it and the known names."""

from __future__ import annotations

from sitegen.errors import Problem
from sitegen.render.templates import THEME_DIR
from sitegen.theme_check import theme_template_names, unknown_templates
from tests.helpers import sitegen

KNOWN = ("404.html, article.html, atom.xml, attribution.html, base.html, feed-content.html, footer.html, "
         "home.html, image.html, list.html, root.html, rss.xml, search.html, withdrawn.html")


def write(folder, *names):
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{{ site.title }}", encoding="utf-8")


def test_the_known_names_are_the_theme_templates():
    assert theme_template_names() == sorted(p.name for p in (THEME_DIR / "templates").iterdir())
    assert ", ".join(theme_template_names()) == KNOWN


def test_an_unknown_name_is_a_warning_with_the_known_names(tmp_path):
    templates = tmp_path / "templates"
    write(templates, "index.html", "footer.html")
    assert unknown_templates(templates) == [Problem(
        "templates/index.html",
        f"not a theme template (known: {KNOWN}); it is used only if another template includes it", "warning")]
    assert str(unknown_templates(templates)[0]).startswith("warning: templates/index.html: not a theme template")


def test_a_misspelt_name_says_which_one_was_meant(tmp_path):
    write(tmp_path / "templates", "artcle.html")
    [problem] = unknown_templates(tmp_path / "templates")
    assert problem.message.startswith("not a theme template (did you mean article.html? known: 404.html, ")


def test_theme_names_readme_and_hidden_files_pass_and_sub_folders_are_checked(tmp_path):
    templates = tmp_path / "templates"
    write(templates, *theme_template_names(), "README.txt", ".article.html.swp", "partials/nav.html")
    assert [p.where for p in unknown_templates(templates)] == ["templates/partials/nav.html"]


def test_no_templates_folder_means_no_warnings(tmp_path):
    assert unknown_templates(tmp_path / "templates") == []


def test_sitegen_check_says_it(make_site):
    root = make_site(files={"templates/index.html": "{{ site.title }}", "templates/footer.html": "<footer></footer>"})
    checked = sitegen("check", "--site", str(root))
    assert checked.returncode == 0  # a warning: the site is still built as it is
    assert checked.stderr.splitlines() == [f"warning: templates/index.html: not a theme template (known: {KNOWN}); "
                                           "it is used only if another template includes it"]
