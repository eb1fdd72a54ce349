"""One line for a learner whose own edits, not the course, made the notebook checks fail."""

import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[1]


def edited_notebooks():
    try:
        status = subprocess.run(
            ["git", "status", "--porcelain", "--", "notebooks"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line[3:] for line in status.stdout.splitlines() if line.endswith(".ipynb")]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if exitstatus == 0:
        return
    edited = edited_notebooks()
    if edited:
        terminalreporter.write_line(
            f"Note: {', '.join(edited)} differ from the course as downloaded. "
            "If you edited them as a learner, put the course back with "
            "`git checkout -- notebooks` and work in my_notebooks/ (`make lab` opens it), "
            "then run `make test` again.",
            yellow=True,
            bold=True,
        )
