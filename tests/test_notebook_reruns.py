"""notebooks/conftest.py, the second run of every cell and the learner's answers to every stub,
on tiny notebooks: one that passes, and one for each way a notebook can fail it."""

import pathlib
import shutil
import subprocess
import sys

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]

# A stand-in for relu_lib's checkers: the answer is 42.
CHECKER = """
class rl:
    @staticmethod
    def check_answer(value, must_pass=False):
        if value is ...:
            print("○ Not attempted yet: set `answer`, then run this cell again.")
        elif value == 42:
            print("✓ Correct: six times seven.")
        else:
            print("✗ Not yet: the answer is a product of two small numbers; try again.")
"""
STUB = "answer = ...  # your answer here\n\nrl.check_answer(answer)"
NOT_ATTEMPTED = "○ Not attempted yet: set `answer`, then run this cell again.\n"
TICK = "✓ Correct: six times seven.\n"
HINT = "✗ Not yet: the answer is a product of two small numbers; try again.\n"


def cell(source, printed=None):
    c = nbformat.v4.new_code_cell(source)
    if printed is not None:
        c.outputs = [nbformat.v4.new_output("stream", name="stdout", text=printed)]
    return c


def notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = list(cells)
    for count, c in enumerate(nb.cells, start=1):
        c.execution_count = count
    return nb


def exercise(checker=CHECKER, solution="answer_solution = 6 * 7", printed=TICK, after=()):
    return notebook(
        cell(checker),
        cell(STUB, NOT_ATTEMPTED),
        cell(f"{solution}\nrl.check_answer(answer_solution, must_pass=True)", printed),
        *after,
    )


NOTEBOOKS = {
    "fine": exercise(after=[cell("total = sum([1, 2])\nprint(total)", "3\n")]),
    "not_safe_to_rerun": notebook(
        cell("seen = []"), cell("seen.append(1)\nprint(len(seen))", "1\n")
    ),
    "rerun_changes_a_later_cell": notebook(
        cell("import random\nrandom.seed(0)"),
        cell("draw = random.random()"),  # prints nothing, but a second run draws again
        cell("print(round(draw, 3))", "0.844\n"),
    ),
    "checker_raises_on_a_wrong_answer": exercise(
        checker=CHECKER.replace(
            "        else:\n",
            '        elif value == 12345:\n            raise TypeError("no")\n        else:\n',
        )
    ),
    "worked_solution_gets_no_tick": exercise(solution="answer_solution = 6 * 8", printed=HINT),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebooks")
    shutil.copy(ROOT / "notebooks" / "conftest.py", folder)
    for name, nb in NOTEBOOKS.items():
        nbformat.write(nb, folder / f"{name}.ipynb")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-rA",
            "--nbval",
            "--nbval-current-env",
            "-q",
            str(folder),
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return result.stdout


@pytest.mark.parametrize(
    "name, failed_cell, why",
    [
        ("not_safe_to_rerun", 1, "Run a second time: Cell outputs differ"),
        ("rerun_changes_a_later_cell", 2, "Cell outputs differ"),
        ("checker_raises_on_a_wrong_answer", 1, "a wrong answer: the checker raised"),
        ("worked_solution_gets_no_tick", 1, "the worked solution typed into the stub"),
    ],
)
def test_a_notebook_that_breaks_a_rule_fails_where_it_breaks_it(outcomes, name, failed_cell, why):
    failed = [line for line in outcomes.splitlines() if line.startswith(f"FAILED {name}.ipynb")]
    assert len(failed) == 1 and f"::Cell {failed_cell} " in failed[0], outcomes
    assert why in outcomes


def test_a_notebook_safe_to_rerun_with_a_fair_exercise_passes(outcomes):
    assert "FAILED fine.ipynb" not in outcomes
    assert sum(line.startswith("PASSED fine.ipynb") for line in outcomes.splitlines()) == 4
