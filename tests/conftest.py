"""Shared by the tests: one line for a learner whose own edits, not the course, made the notebook
checks fail; the browser the browser tests drive."""

import os
import pathlib
import shutil
import subprocess

import pytest

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


# `make test` hands each worker one module or notebook at a time, in the order below
# (pytest-xdist's --dist loadscope --no-loadscope-reorder). Longest first, so that the JupyterLab
# tests (a minute or two in a dozen items: xdist's own reordering, by item count, would start
# them last) begin at once while the other worker takes the book's browser tests and then the
# notebooks, and the short unit-test modules fill in at the end.
FIRST_TO_LAST = ("tests/test_lab_browser.py", "tests/test_book_browser.py", "notebooks/")


def run_order(item):
    return next(
        (rank for rank, prefix in enumerate(FIRST_TO_LAST) if item.nodeid.startswith(prefix)),
        len(FIRST_TO_LAST),
    )


def pytest_collection_modifyitems(items):
    items.sort(key=run_order)  # stable: each module's own order is kept


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    reports = [r for kind in ("passed", "failed") for r in terminalreporter.stats.get(kind, [])]
    if any(r.nodeid.startswith("tests/test_lesson_path.py") for r in reports):
        import test_lesson_path  # tests/ is on sys.path (rootdir conftest, no package)

        for row in test_lesson_path.table():
            terminalreporter.write_line(row)
    skipped = terminalreporter.stats.get("skipped", [])
    if any(ENABLE_BROWSER_TESTS in str(report.longrepr) for report in skipped):
        terminalreporter.write_line(ENABLE_BROWSER_TESTS, yellow=True, bold=True)
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


# The browser tests: Playwright for Python driving the system's Chromium (Playwright's own
# browser download cannot be reached from every machine). Without a Chromium they are skipped,
# with one line at the end saying how to run them; BROWSER_TESTS=required (CI) fails instead.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ENABLE_BROWSER_TESTS = (
    "Browser tests skipped: no Chromium found. To run them, install one (Debian/Ubuntu: "
    "`sudo apt-get install chromium`) or point CHROMIUM=/path/to/chrome at one, then `make test`."
)
# Headless, and no connection of its own: no sync, updates or field trials on a closed network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium():
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium, shared by the browser tests of one test process."""
    executable = find_chromium()
    if executable is None:
        if os.environ.get("BROWSER_TESTS") == "required":
            pytest.fail("BROWSER_TESTS=required, but no Chromium was found")
        pytest.skip(ENABLE_BROWSER_TESTS)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()
