"""Sphinx configuration of the course as a book (`make book`).

`make book` copies README.md, book/index.md and the notebooks into _build/src and builds
_build/html from them. The notebooks are rendered as stored: their outputs are the ones
`make test` checks, so nothing is executed here.
"""

import json

project = "The ReLU course"
author = "the course's authors"
html_title = "The ReLU course · 什么是 ReLU"

extensions = ["myst_nb", "sphinx-mathjax-offline"]  # MathJax from the installed package, no CDN
myst_enable_extensions = ["dollarmath", "amsmath"]
nb_execution_mode = "off"
exclude_patterns = ["README.md"]  # the landing page includes it
nb_code_prompt_show = "Show the worked solution"  # only solutions are hidden (tag hide-cell)
nb_code_prompt_hide = "Hide the worked solution"

html_theme = "sphinx_book_theme"
html_theme_options = {
    "use_download_button": True,  # the page's notebook, as stored in the course
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "launch_buttons": {},  # no Binder or Colab: nothing on a page goes online
    "show_toc_level": 2,
    "home_page_in_toc": True,
}
html_context = {"default_mode": "light"}  # the figures are drawn on white

RUN_LOCALLY = """```{{admonition}} Run this notebook yourself
:class: tip
This page is `notebooks/{name}` as stored in the course, outputs included:
{{download}}`download the notebook <{name}>`.
To run it, get the course and type `make lab` in its folder: JupyterLab opens your own copy.
```"""


def add_run_locally(app, docname, source):
    """Put the how-to-run note under each notebook's title: the book's own, not the notebook's."""
    if not docname.startswith("notebooks/"):
        return
    notebook = json.loads(source[0])
    name = docname.removeprefix("notebooks/") + ".ipynb"
    note = {"cell_type": "markdown", "id": "run-it-yourself", "metadata": {},
            "source": RUN_LOCALLY.format(name=name)}
    notebook["cells"].insert(1, note)
    source[0] = json.dumps(notebook)


def setup(app):
    app.connect("source-read", add_run_locally)
