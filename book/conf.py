"""Sphinx configuration of the course as a book (`make book`), in English and in Chinese.

`make book` copies README.md, the landing page and the notebooks of each edition into
_build/src/en and _build/src/zh, and builds _build/html (English) and _build/html/zh (Chinese,
`-D language=zh_CN`). The notebooks are rendered as stored: their outputs are the ones
`make test` checks, so nothing is executed here.
"""

import base64
import importlib.util
import json
import logging
import pathlib

from docutils import nodes

# The learner's copy of a notebook (no outputs), as `make lab` makes it: etc/my_notebooks.py.
_spec = importlib.util.spec_from_file_location(
    "my_notebooks", pathlib.Path(__file__).resolve().parents[1] / "etc" / "my_notebooks.py"
)
my_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(my_notebooks)

project = "The ReLU course"
author = "the course's authors"

extensions = ["myst_nb", "sphinx-mathjax-offline"]  # MathJax from the installed package, no CDN
myst_enable_extensions = ["dollarmath", "amsmath"]
nb_execution_mode = "off"
exclude_patterns = ["README.md"]  # the landing page includes it
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["course.css"]

html_theme = "sphinx_book_theme"
html_theme_options = {
    "use_download_button": False,  # from disk it would show JSON: the note's link downloads
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "launch_buttons": {},  # no Binder or Colab: nothing on a page goes online
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "article_header_end": ["language-switch.html", "article-header-buttons.html"],
    "navbar_persistent": [],  # the sidebar has the search field: no second one in a top bar
}
html_context = {"default_mode": "light"}  # the figures are drawn on white

EDITIONS = {
    "en": {
        "title": "The ReLU course · 什么是 ReLU",
        "show": "Show the worked solution",
        "hide": "Hide the worked solution",
        "deeper": "Going deeper: ",
        "open_deeper": "Optional: open this side road (the core path reads complete without it)",
        "note": """```{{admonition}} Run this notebook yourself
:class: tip
This page is `notebooks/{name}` as stored in the course, outputs included.
{download}Download the notebook</a> without its outputs, so that every prediction it asks for is
yours, and open it in JupyterLab; or get the course and type `make lab` in its folder.
```""",
    },
    "zh_CN": {
        "title": "ReLU 课程 · 什么是 ReLU",
        "show": "显示参考答案",
        "hide": "隐藏参考答案",
        "deeper": "深入：",
        "open_deeper": "选读：点击展开（不读这一节，主线也完整）",
        # One line of prose: a line break between Chinese characters would show as a space.
        "note": "```{{admonition}} 自己运行这个笔记本\n:class: tip\n"
        "本页就是课程中保存的 `notebooks/zh/{name}`，包括输出。{download}下载这个笔记本</a>"
        "（不带输出，这样每个预测都是你自己做的），用 JupyterLab 打开；"
        "或者获取课程，在课程目录中输入 `make lab EDITION=zh`。\n```",
    },
}


def edition(config):
    return EDITIONS["zh_CN" if config.language == "zh_CN" else "en"]


def configure_edition(app, config):
    """The title and the solutions' toggle labels in the edition's language (-D language=...)."""
    config.html_title = edition(config)["title"]
    config.html_context["edition"] = "zh" if config.language == "zh_CN" else "en"
    config.nb_code_prompt_show = edition(config)["show"]  # only solutions are hidden (hide-cell)
    config.nb_code_prompt_hide = edition(config)["hide"]
    if config.language == "zh_CN":  # jieba splits the text; these terms stay whole words
        import jieba  # sets its own logger to DEBUG when imported: quiet it afterwards

        jieba.setLogLevel(logging.WARNING)  # not its dictionary's load times
        config.html_search_options = {
            "dict": str(pathlib.Path(__file__).with_name("search_words_zh.txt"))
        }


def add_run_locally(app, docname, source):
    """Put the how-to-run note under each notebook's title (the book's own, not the notebook's), and
    give each figure its description as alt text."""
    if not docname.startswith("notebooks/"):
        return
    notebook = json.loads(source[0])
    file = docname.rsplit("/", 1)[1] + ".ipynb"
    # A data: address, so that the link downloads even from a book opened from disk (a browser
    # shows a file:// notebook as text, whatever the link's download attribute says).
    copy = json.dumps(my_notebooks.learner_copy(notebook), ensure_ascii=False, indent=1)
    address = "data:application/x-ipynb+json;base64," + base64.b64encode(copy.encode()).decode()
    download = f'<a class="download-notebook" download="{file}" href="{address}">'
    text = edition(app.config)["note"].format(name=file, download=download)
    note = {"cell_type": "markdown", "id": "run-it-yourself", "metadata": {}, "source": text}
    notebook["cells"].insert(1, note)
    describe_figures(notebook)
    source[0] = json.dumps(notebook)


def describe_figures(notebook):
    """Each figure's alt text is its text output: the description that `rl.setup_notebook` makes
    a figure print (rl.describe_figure), where myst-nb would use the image's hashed file name."""
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data and "text/plain" in data:
                image = cell["metadata"].setdefault("mystnb", {}).setdefault("image", {})
                image["alt"] = "".join(data["text/plain"])


def close_going_deeper(app, doctree):
    """Each "Going deeper: ..." section (tagged `deeper` in the notebook) becomes a closed block:
    its heading stays in the page and its table of contents, the rest opens on a click."""
    words = edition(app.config)
    for section in doctree.findall(nodes.section):
        if not section[0].astext().startswith(words["deeper"]):
            continue
        section["classes"].append("going-deeper")
        opening = f'<details class="going-deeper"><summary>{words["open_deeper"]}</summary>'
        section.insert(1, nodes.raw("", opening, format="html"))
        section.append(nodes.raw("", "</details>", format="html"))


def setup(app):
    app.connect("config-inited", configure_edition)
    app.connect("source-read", add_run_locally)
    app.connect("doctree-read", close_going_deeper)
