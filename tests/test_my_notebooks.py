"""etc/my_notebooks.py on made-up learner notebooks: copies start without outputs, a changed course
notebook is named, a fresh copy replaces only the one asked for, and progress reads each exercise
as done, tried or not started."""

import importlib.util
import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("my_notebooks", ROOT / "etc" / "my_notebooks.py")
my_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(my_notebooks)


def stream(text):
    return {"output_type": "stream", "name": "stdout", "text": text}


def code(source, *outputs):
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": list(outputs),
            "execution_count": 3 if outputs else None}  # fmt: skip


def notebook(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


COURSE = notebook(
    {"cell_type": "markdown", "source": "# 01 · Title", "metadata": {}},
    code("x = 1\nprint(x)", stream("1\n")),
    code("answer = ...\nrl.check_forms(answer)", stream("○ Not attempted yet: fill in\n")),
    code("# Worked solution\nrl.check_forms(2, must_pass=True)", stream("✓ Correct: yes\n")),
)


@pytest.fixture
def course(tmp_path):
    (tmp_path / "notebooks").mkdir()
    for name in ("01_a.ipynb", "02_b.ipynb"):
        my_notebooks.write(COURSE, tmp_path / "notebooks" / name)
    return sorted((tmp_path / "notebooks").glob("*.ipynb")), tmp_path / "mine"


def test_a_learners_copy_has_no_outputs_or_counts_and_notes_where_it_came_from(course):
    paths, mine = course
    my_notebooks.copy_missing(paths, mine)
    copy = my_notebooks.read(mine / "01_a.ipynb")
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in copy["cells"][1:])
    assert [c["source"] for c in copy["cells"]] == [c["source"] for c in COURSE["cells"]]
    assert copy["metadata"]["relu_course"]["copied_from"] == my_notebooks.fingerprint(COURSE)
    assert COURSE["cells"][1]["outputs"], "the course's notebook itself is left as it is"


def test_only_a_change_of_the_courses_text_counts_as_changed(course):
    paths, mine = course
    my_notebooks.copy_missing(paths, mine)
    rerun = json.loads(json.dumps(COURSE))
    rerun["cells"][1]["outputs"] = [stream("1\n(re-run)\n")]  # new outputs: not a change
    my_notebooks.write(rerun, paths[0])
    answered = my_notebooks.read(mine / "02_b.ipynb")
    answered["cells"][2]["source"] = "answer = 2\nrl.check_forms(answer)"  # the learner's edit
    my_notebooks.write(answered, mine / "02_b.ipynb")
    assert my_notebooks.changed(paths, mine) == []
    rerun["cells"][0]["source"] = "# 01 · A better title"
    my_notebooks.write(rerun, paths[0])
    assert my_notebooks.changed(paths, mine) == ["01_a.ipynb"]


def test_fresh_replaces_the_numbered_copy_only_and_keeps_the_old_one(course, capsys):
    paths, mine = course
    my_notebooks.copy_missing(paths, mine)
    (mine / "01_a.ipynb").write_text("mine, 01")
    (mine / "02_b.ipynb").write_text("mine, 02")
    my_notebooks.fresh(paths, mine, ["02"])
    (old,) = mine.glob("old-*")
    assert (old / "02_b.ipynb").read_text() == "mine, 02" and not (old / "01_a.ipynb").exists()
    assert (mine / "01_a.ipynb").read_text() == "mine, 01"
    assert my_notebooks.read(mine / "02_b.ipynb")["cells"]
    with pytest.raises(SystemExit, match="no course notebook numbered 09"):
        my_notebooks.fresh(paths, mine, ["09"])


@pytest.mark.parametrize(
    "outputs, state",
    [
        ([stream("✓ Correct: all five forms\n")], "done"),
        ([stream("✗ Not yet: form 2 is wrong. Hint: ...\n")], "tried"),
        ([{"output_type": "error", "ename": "NameError", "evalue": "x", "traceback": []}], "tried"),
        ([stream("○ Not attempted yet: fill in\n")], "not started"),
        ([], "not started"),
    ],
)
def test_an_exercise_is_done_tried_or_not_started_by_what_its_checker_printed(outputs, state):
    learner = notebook(code("answer = 2\nrl.check_forms(answer)", *outputs), COURSE["cells"][3])
    assert my_notebooks.exercise_states(learner) == [state]  # the worked solution is not counted


def test_progress_lists_every_notebook_and_totals_in_either_language(course):
    paths, mine = course
    my_notebooks.copy_missing(paths, mine)
    done = my_notebooks.read(mine / "01_a.ipynb")
    done["cells"][2]["outputs"] = [stream("✓ Correct: yes\n")]
    my_notebooks.write(done, mine / "01_a.ipynb")
    (mine / "02_b.ipynb").write_text("{broken")
    lines = my_notebooks.progress(paths, mine, "en")
    assert lines[1].split() == ["01_a", "Exercise", "1", "done"]
    assert "not a notebook JupyterLab can open" in lines[2]
    assert lines[-1] == "1 of 1 exercises done, 0 tried."
    assert my_notebooks.progress(paths, mine, "zh")[1].split() == ["01_a", "练习", "1", "已完成"]
    assert "make lab" in my_notebooks.progress(paths, mine.parent / "nobody", "en")[0]
