"""The register of the article's claims: each claim, the course's verdict, what the verdict was
measured on, and the notebook section that decides it, read from the notebooks themselves.

Every claim of the article's outline (A1 to A17) has one verdict, in a markdown cell tagged
``claim-A<n>`` whose paragraph of its own reads, in the English notebooks and in the Chinese ones:

    **Verdict on A5** · *<the claim>* · **<the verdict>** · <what was measured>
    **对 A5 的结论** · *<the claim>* · **<the verdict>** · <what was measured>

``python etc/claims_register.py`` (``make register``; ``make translations`` runs it) writes the
table of each edition into README.md between its markers; ``--check`` writes nothing and exits 1
when README.md is not what the notebooks say, which a test runs.
"""

import pathlib
import re
import sys

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
ARTICLE_CLAIMS = [f"A{n}" for n in range(1, 18)]  # the article's outline numbers 17 claims
VERDICT = re.compile(
    r"^\*\*(?:Verdict on (?P<en>A\d+)|对 (?P<zh>A\d+) 的结论)\*\* · \*(?P<claim>[^*\n]+)\* · "
    r"\*\*(?P<verdict>[^*\n]+)\*\* · (?P<scope>[^\n]+)$",
    re.M,
)
EDITIONS = {
    "en": {
        "folder": "notebooks",
        "header": "| the article's claim | the course's verdict · what it was measured on "
        "| decided in |",
    },
    "zh": {
        "folder": "notebooks/zh",
        "header": "| 原文的说法 | 课程的结论 · 测量范围 | 出处 |",
    },
}


class RegisterError(ValueError):
    pass


def verdicts(notebook):
    """[(claim id, claim, verdict, scope, section heading)] of one notebook, in cell order.

    Raises RegisterError, naming the notebook and cell, when a tagged cell holds no verdict of
    the register's form or its verdicts are not the ones its tags name."""
    nb = nbformat.read(notebook, as_version=4)
    found, section = [], ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        tagged = sorted(
            t[len("claim-") :] for t in cell.metadata.get("tags", []) if t.startswith("claim-")
        )
        in_cell = []
        for match in VERDICT.finditer(cell.source):
            heading = [
                line for line in cell.source[: match.start()].splitlines() if line.startswith("## ")
            ]
            section = heading[-1][3:] if heading else section
            fields = (match["en"] or match["zh"], match["claim"], match["verdict"], match["scope"])
            if any("|" in field for field in fields):
                raise RegisterError(f"{notebook.name} cell {cell.id}: a '|' would break the table")
            found.append((*fields, section))
            in_cell.append(fields[0])
        if tagged != sorted(in_cell):
            raise RegisterError(
                f"{notebook.name} cell {cell.id}: tagged {tagged}, but its verdicts of the form "
                f"'**Verdict on A<n>** · *claim* · **verdict** · scope' name {sorted(in_cell)}"
            )
        headings = [line for line in cell.source.splitlines() if line.startswith("## ")]
        section = headings[-1][3:] if headings else section
    return found


def register(edition, notebooks=None):
    """The markdown table of one edition ("en" or "zh"), one row per article claim in order,
    read from ``notebooks`` (default: the edition's notebooks in the course)."""
    if notebooks is None:
        notebooks = sorted((ROOT / EDITIONS[edition]["folder"]).glob("[0-9][0-9]_*.ipynb"))
    rows = {}
    for notebook in notebooks:
        for claim, said, verdict, scope, section in verdicts(notebook):
            if claim in rows:
                raise RegisterError(f"{claim} has a second verdict, in {notebook.name}")
            where = (
                f"[{notebook.name[:2]} · {section}]({EDITIONS[edition]['folder']}/{notebook.name})"
            )
            rows[claim] = f"| **{claim}** · {said} | **{verdict}** · {scope} | {where} |"
    missing = [claim for claim in ARTICLE_CLAIMS if claim not in rows]
    if missing or len(rows) != len(ARTICLE_CLAIMS):
        raise RegisterError(
            f"{edition}: no verdict for {missing or sorted(set(rows) - set(ARTICLE_CLAIMS))}"
        )
    table = [EDITIONS[edition]["header"], "|---|---|---|"]
    return "\n".join(table + [rows[claim] for claim in ARTICLE_CLAIMS])


def with_registers(readme):
    """README.md's text with each edition's table between ``<!-- register:EDITION -->`` and
    ``<!-- /register:EDITION -->``."""
    for edition in EDITIONS:
        start, end = f"<!-- register:{edition} -->", f"<!-- /register:{edition} -->"
        if readme.count(start) != 1 or readme.count(end) != 1:
            raise RegisterError(f"README.md needs one {start} and one {end}")
        before, rest = readme.split(start)
        readme = before + start + "\n" + register(edition) + "\n" + end + rest.split(end)[1]
    return readme


def main(args):
    readme_path = ROOT / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    wanted = with_registers(readme)
    if args == ["--check"]:
        if wanted != readme:
            print("README.md's register of claims differs from the notebooks: run `make register`")
            return 1
        return 0
    if wanted != readme:
        readme_path.write_text(wanted, encoding="utf-8")
        print("README.md: register of claims rewritten from the notebooks")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
