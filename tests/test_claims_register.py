"""The README's register of the article's claims (etc/claims_register.py): one verdict per
claim, read from the notebooks of each edition, and the README exactly what they say."""

import importlib.util
import pathlib

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]

_spec = importlib.util.spec_from_file_location(
    "claims_register", ROOT / "etc" / "claims_register.py"
)
claims_register = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(claims_register)

ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
HEADER = "**Verdict on A{n}** · *the claim* · **the verdict** · what was measured"


def test_the_readme_register_is_what_the_notebooks_say():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert claims_register.with_registers(readme) == readme, "run `make register`"


@pytest.mark.parametrize("edition", ["en", "zh"])
def test_every_article_claim_has_exactly_one_verdict_in_order(edition):
    rows = claims_register.register(edition).splitlines()[2:]
    assert [row.split(" · ")[0] for row in rows] == [f"| **A{n}**" for n in range(1, 18)]


def test_both_editions_give_each_verdict_in_the_same_cell_of_the_core_path():
    for english in ENGLISH:
        cells = {}
        for path in (english, ROOT / "notebooks" / "zh" / english.name):
            nb = nbformat.read(path, as_version=4)
            cells[path] = [
                (cell.id, sorted(cell.metadata.get("tags", [])))
                for cell in nb.cells
                if any(tag.startswith("claim-") for tag in cell.metadata.get("tags", []))
            ]
            assert all("deeper" not in tags for _, tags in cells[path]), (
                f"{path.name}: a verdict in a side road"
            )
        assert cells[english] == cells[ROOT / "notebooks" / "zh" / english.name]
    english = [claim for path in ENGLISH for claim, *_ in claims_register.verdicts(path)]
    chinese = [
        claim
        for path in ENGLISH
        for claim, *_ in claims_register.verdicts(ROOT / "notebooks" / "zh" / path.name)
    ]
    assert english == chinese


def notebook(tmp_path, *cells, name="05_made_up.ipynb"):
    """A made-up notebook of markdown cells given as (source, tags)."""
    nb = nbformat.v4.new_notebook()
    for source, tags in cells:
        nb.cells.append(nbformat.v4.new_markdown_cell(source, metadata={"tags": tags}))
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_a_verdict_row_carries_the_claim_the_verdict_the_scope_and_the_section(tmp_path):
    path = notebook(
        tmp_path,
        ("## 2. A section\n\nText.", []),
        (HEADER.format(n=5) + "\n\nWhy.", ["claim-A5"]),
        ("## 3. Next\n\n**对 A6 的结论** · *说法* · **错误** · 范围", ["claim-A6"]),
    )
    assert claims_register.verdicts(path) == [
        ("A5", "the claim", "the verdict", "what was measured", "2. A section"),
        ("A6", "说法", "错误", "范围", "3. Next"),
    ]


@pytest.mark.parametrize(
    "cells, complaint",
    [
        # not the register's form
        ([("**Verdict: wrong.** Why.", ["claim-A5"])], "tagged ['A5'], but"),
        ([(HEADER.format(n=5), [])], "tagged [], but"),  # a verdict nobody marked
        ([(HEADER.format(n=5), ["claim-A6"])], "tagged ['A6'], but"),  # the wrong tag
        ([(HEADER.format(n=5).replace("the claim", "a | b"), ["claim-A5"])], "'|' would break"),
    ],
)
def test_a_verdict_cell_out_of_form_is_named(tmp_path, cells, complaint):
    with pytest.raises(claims_register.RegisterError, match="05_made_up.ipynb cell") as error:
        claims_register.verdicts(notebook(tmp_path, *cells))
    assert complaint in str(error.value)


def test_a_claim_without_a_verdict_or_with_two_is_refused(tmp_path):
    all_but_a17 = [(HEADER.format(n=n), [f"claim-A{n}"]) for n in range(1, 17)]
    with pytest.raises(claims_register.RegisterError, match=r"no verdict for \['A17'\]"):
        claims_register.register("en", [notebook(tmp_path, *all_but_a17)])
    again = notebook(tmp_path, (HEADER.format(n=3), ["claim-A3"]), name="06_again.ipynb")
    with pytest.raises(claims_register.RegisterError, match="A3 has a second verdict, in 06_again"):
        claims_register.register("en", [notebook(tmp_path, *all_but_a17), again])


def test_the_readme_is_refused_without_its_markers():
    with pytest.raises(claims_register.RegisterError, match="<!-- register:en -->"):
        claims_register.with_registers("# A README without a register\n")
