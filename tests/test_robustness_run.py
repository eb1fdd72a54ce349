"""etc/robustness_run.py reads an executed notebook right: every failing claim, every raising
cell and every claim a cell stores but no longer states is a finding; a clean run has none."""

import importlib.util
import pathlib

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = pathlib.Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("robustness_run", ROOT / "etc" / "robustness_run.py")
robustness_run = importlib.util.module_from_spec(spec)
spec.loader.exec_module(robustness_run)


def cell(*lines, error=None):
    outputs = [new_output("stream", name="stdout", text="".join(f"{line}\n" for line in lines))]
    if error:
        outputs.append(new_output("error", ename="ValueError", evalue=error, traceback=[]))
    return new_code_cell("...", outputs=outputs)


def stored(tmp_path):
    nb = new_notebook(cells=[new_markdown_cell("# 99"), cell("✓ A", "✓ B"), cell("✓ C")])
    path = tmp_path / "99_example.ipynb"
    nbformat.write(nb, path)
    return path, nb


def test_a_run_that_states_every_claim_again_has_no_findings(tmp_path):
    path, nb = stored(tmp_path)
    assert robustness_run.findings(path, 1, nb) == []


def test_failing_raising_and_unreached_claims_are_each_found_with_cell_and_offset(tmp_path):
    path, nb = stored(tmp_path)
    run = new_notebook(
        cells=[
            nb.cells[0],
            cell("✓ A", "✗ Claim does not hold: B (measured: x=1)"),
            cell(error="max() iterable argument is empty"),
        ]
    )
    assert robustness_run.findings(path, 3, run) == [
        ("99_example cell 1", "fails", "B (measured: x=1)", 3),
        ("99_example cell 2", "raises", "ValueError: max() iterable argument is empty", 3),
        ("99_example cell 2", "never reached", "1 of its claims", 3),
    ]


def test_the_report_groups_a_cell_s_findings_with_their_offsets():
    lines = robustness_run.report(
        [("06 cell 16", "fails", "B (x=1)", 2), ("06 cell 16", "fails", "B (x=3)", 1)]
    )
    assert lines == ["06 cell 16: fails at offset 1, 2", "    [1] B (x=3)", "    [2] B (x=1)"]


def test_the_core_path_leaves_out_exactly_the_going_deeper_cells(tmp_path):
    deeper = new_markdown_cell("## Going deeper: x", metadata={"tags": ["deeper"]})
    nb = new_notebook(cells=[new_markdown_cell("# 99"), deeper, cell("✓ A")])
    nbformat.write(nb, tmp_path / "99_example.ipynb")
    assert robustness_run.core_path(tmp_path / "99_example.ipynb").cells == [
        nb.cells[0],
        nb.cells[2],
    ]


def test_a_core_cell_that_prints_otherwise_or_raises_without_going_deeper_is_found(tmp_path):
    deeper = new_code_cell("x = 1", metadata={"tags": ["deeper"]})
    timing = new_code_cell(
        "# NBVAL_IGNORE_OUTPUT\nt", outputs=[new_output("stream", name="stdout", text="9 ms\n")]
    )
    nb = new_notebook(cells=[cell("✓ A", "took 3 ms"), deeper, cell("x = 1"), cell("✓ B"), timing])
    path = tmp_path / "99_example.ipynb"
    nbformat.write(nb, path)
    masked_only = cell("✓ A", "took 5 ms")  # a duration differs: masked, as nbval masks it
    ran = new_notebook(
        cells=[masked_only, cell("x = 2"), cell(error="name 'y' is not defined"), timing]
    )
    assert robustness_run.findings(path, robustness_run.CORE_PATH, ran) == [
        (
            "99_example cell 2",
            "prints otherwise",
            "stored 'x = 1', without Going deeper 'x = 2'",
            "core path",
        ),
        ("99_example cell 3", "raises", "ValueError: name 'y' is not defined", "core path"),
    ]
    assert robustness_run.report(robustness_run.findings(path, robustness_run.CORE_PATH, ran))[
        0
    ] == ("99_example cell 2: prints otherwise in its core path alone")
