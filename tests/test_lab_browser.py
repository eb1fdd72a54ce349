"""The course as a learner meets it: JupyterLab in a real browser, each notebook opened from the
file browser. Every notebook, as stored: no error or stderr output; no dialog, toast or
notification; every figure the stored notebook shows is drawn (the worked solutions' aside);
every worked solution's source stays collapsed, and its output too; every exercise stub says it
is not attempted yet. One notebook, 01, is also run with Kernel > Restart Kernel and Run All
Cells: every cell runs, in order, on the fresh kernel, and the same holds after the run
(JupyterLab opens the output of a cell it runs: the course's extension, etc/lab-extension,
closes a solution's again); a solution the learner opens and runs shows its output. One run
checks what a run adds (the extension and the kernel's wiring, the same for every notebook);
that every notebook's cells run and print what they store, nbval checks.

The server is started as `make lab` starts it, on copies of the notebooks (JupyterLab saves what
it opens), on a free port with a token of our own; it and every kernel are stopped afterwards."""

import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# Notebook 01 runs in about 10 s alone; allow for a loaded machine.
RUN_TIMEOUT_MS = 300_000
# The notebook run in JupyterLab: the first a learner opens, and the quickest to run.
RUN_IN_LAB = NOTEBOOKS[0]
LOAD_TIMEOUT_MS = 90_000
# `make lab EDITION=zh`: the course's settings with the language set to Chinese (Makefile).
ZH_SETTINGS = pathlib.Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings-zh"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Lab:
    """A running JupyterLab server: its address, token and REST API."""

    def __init__(self, folder, edition="en"):
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.runtime = folder / "runtime"  # kernels' connection files: how we find them
        self.notebooks = folder / "notebooks"
        self.notebooks.mkdir()
        for notebook in NOTEBOOKS:
            shutil.copy(notebook, self.notebooks)
        # The stored outputs are CPU outputs. The course's settings (.venv's overrides.json) apply
        # as in `make lab`; the learner's own settings, workspaces and config are left out, so
        # that neither they nor the test touch each other.
        env = os.environ | {
            "RELU_LIB_DEVICE": "cpu",
            "JUPYTER_RUNTIME_DIR": str(self.runtime),
            "JUPYTER_CONFIG_DIR": str(folder / "config"),
            "JUPYTERLAB_SETTINGS_DIR": str(folder / "user-settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(folder / "workspaces"),
        }
        self.log = folder / "server.log"
        command = [
            *(sys.executable, "-m", "jupyter", "lab", "--ip=127.0.0.1", f"--port={self.port}"),
            *("--ServerApp.port_retries=0", f"--notebook-dir={self.notebooks}", "--no-browser"),
            f"--IdentityProvider.token={self.token}",
            *(["--allow-root"] if os.geteuid() == 0 else []),
            *([f"--LabApp.app_settings_dir={ZH_SETTINGS}"] if edition == "zh" else []),
        ]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=log)

    def api(self, path, method="GET"):
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_up(self, timeout=60):
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            try:
                return self.api("/api/status")
            except OSError:
                time.sleep(0.25)
        pytest.fail(f"JupyterLab did not answer on {self.url}:\n{self.log.read_text()[-3000:]}")

    def kernel_processes(self):
        """The processes of this server's kernels, found by their connection file."""
        ours = str(self.runtime)
        found = []
        for process in psutil.process_iter(["cmdline"]):
            if any(ours in arg for arg in process.info["cmdline"] or ()):
                found.append(process)
        return found

    def stop(self):
        """Shut down every kernel, then the server; no kernel process may outlive it."""
        try:
            if self.process.poll() is None:  # a server that died has no kernels to ask for
                for kernel in self.api("/api/kernels"):
                    self.api(f"/api/kernels/{kernel['id']}", method="DELETE")
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            _, alive = psutil.wait_procs(self.kernel_processes(), timeout=10)
            for process in alive:
                process.kill()  # never left behind, even when the check below fails
        assert not alive, f"kernel processes left after the server stopped: {alive}"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    server = Lab(tmp_path_factory.mktemp("lab"))
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


def open_lab(context, lab, workspace):
    """A JupyterLab page, as a learner keeps one open; a workspace of its own, so that two pages
    do not share their layout."""
    page = context.new_page()
    page.goto(f"{lab.url}/lab/workspaces/{workspace}?reset&token={lab.token}")
    page.locator(".jp-DirListing-item").first.wait_for(timeout=LOAD_TIMEOUT_MS)
    return page


def menu(page, *path):
    for name in path:  # not exact: an item's name ends with its keyboard shortcut, if any
        page.get_by_role("menuitem", name=name).click()


def close_notebook(page):
    """File > Close and Shut Down Notebook, for the notebook left open, however its test ended."""
    if page.locator(".jp-NotebookPanel").count():
        menu(page, "File", "Close and Shut Down Notebook…")
        page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()
        page.locator(".jp-NotebookPanel").wait_for(state="detached", timeout=LOAD_TIMEOUT_MS)


def open_notebook(page, notebook):
    """Open the notebook from the file browser, as a learner does, and wait for its kernel."""
    close_notebook(page)
    page.locator(".jp-DirListing-item", has_text=notebook.name).dblclick()
    # The status bar says "No Kernel | Initializing", then "... | Connecting" while it starts.
    page.get_by_text("Python 3 (ipykernel) | Idle").wait_for(timeout=LOAD_TIMEOUT_MS)


def restart_and_run_all(page):
    """Kernel > Restart Kernel and Run All Cells, confirmed; returns when the run has begun."""
    menu(page, "Kernel", "Restart Kernel and Run All Cells…")
    page.locator(".jp-Dialog").get_by_role("button", name="Confirm Kernel Restart").click()
    # Every queued cell shows [*] until it has run: the run has begun.
    page.locator(".jp-InputPrompt", has_text="[*]").first.wait_for(timeout=LOAD_TIMEOUT_MS)


@pytest.fixture(scope="module")
def lab_page(browser, lab):
    """One JupyterLab page for the module's tests, as a learner keeps one open."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = open_lab(context, lab, "course")
    yield page
    close_notebook(page)
    context.close()


def wait_until_done(page):
    page.wait_for_function(
        """() => document.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status
                   === 'idle'
               && ![...document.querySelectorAll('.jp-InputPrompt')]
                   .some(prompt => prompt.textContent.includes('[*]'))""",
        timeout=RUN_TIMEOUT_MS,
        polling=250,
    )
    # A figure is an <img> of a PNG: wait until the browser has decoded each one.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.jp-OutputArea-output img')].every(i => i.complete)"
    )


# One record per cell, in file order: JupyterLab 4.6's windowing mode, "contentVisibility", keeps
# every cell in the DOM and only skips drawing those out of view (checked: as many cells in the
# page as in the file). Text is read with textContent: innerText is empty for a skipped cell.
CELLS_IN_PAGE = """() => [...document.querySelectorAll('.jp-Notebook .jp-Cell')].map(cell => ({
    prompt: cell.querySelector('.jp-InputPrompt')?.textContent.trim() ?? '',
    sourceCollapsed: cell.querySelector('.jp-InputPlaceholder') !== null,
    sourceShown: [...cell.querySelectorAll('.jp-InputArea')].some(e => e.checkVisibility()),
    outputsShown: [...cell.querySelectorAll('.jp-OutputArea-output')]
        .filter(e => e.checkVisibility()).map(e => e.textContent),
    stderr: [...cell.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
        .map(e => e.textContent),
    images: [...cell.querySelectorAll('.jp-OutputArea-output img')].map(i => i.naturalWidth),
}))"""


def open_and_run(page, index):
    """Click the collapsed source of the cell at ``index`` open, run the cell (Shift+Enter) and
    return the texts of its outputs on show once it has run."""
    cell = page.locator(".jp-Notebook .jp-Cell").nth(index)
    before = cell.locator(".jp-InputPrompt").text_content()
    cell.locator(".jp-InputPlaceholder").click()
    cell.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        """([index, before]) => {
            const prompt = document.querySelectorAll('.jp-Notebook .jp-Cell')[index]
                .querySelector('.jp-InputPrompt').textContent;
            return prompt !== before && !prompt.includes('*');
        }""",
        arg=[index, before],
        timeout=RUN_TIMEOUT_MS,
        polling=250,
    )
    return page.evaluate(CELLS_IN_PAGE)[index]["outputsShown"]


def source(cell):
    return "".join(cell["source"])


def is_solution(cell):
    return cell["cell_type"] == "code" and source(cell).startswith("# Worked solution")


def is_stub(cell):
    text = source(cell)
    return cell["cell_type"] == "code" and "rl.check_" in text and "must_pass" not in text


def learners_view(cells):
    """The indices of the cells a learner sees open: all but the worked solutions, which stay
    collapsed with their figures (checked on their own)."""
    return [i for i, cell in enumerate(cells) if not is_solution(cell)]


def figures_on_show(cells):
    return sum(
        "image/png" in output.get("data", {})
        for i in learners_view(cells)
        for output in cells[i].get("outputs", [])
    )


def prompts(cells):
    """{cell index: prompt} of the code cells a learner sees: a fresh kernel numbers them 1, 2,
    3... in order (a worked solution is numbered too, behind its collapsed source)."""
    code = [i for i, cell in enumerate(cells) if cell["cell_type"] == "code"]
    return {i: f"[{n}]:" for n, i in enumerate(code, start=1) if not is_solution(cells[i])}


def check_the_learners_view(page, lab, notebook, ran):
    """What the page shows of the notebook: the checks of the module's docstring. ``ran``: the
    notebook was just run from a fresh kernel, so its prompts read [1], [2], ... in order."""
    cells = json.loads(notebook.read_text())["cells"]
    shown = page.evaluate(CELLS_IN_PAGE)
    screenshot = lab.log.parent / f"{notebook.stem}{'-run' if ran else ''}.png"
    page.screenshot(path=screenshot)
    seen = f"(the page: {screenshot})"

    assert len(shown) == len(cells), f"{len(shown)} cells in the page, {len(cells)} in the file"
    errors = {i: cell["stderr"] for i, cell in enumerate(shown) if cell["stderr"]}
    assert not errors, f"error or stderr output in cells {errors} {seen}"
    if ran:
        expected = prompts(cells)
        assert {i: shown[i]["prompt"] for i in expected} == expected, (
            f"not every cell ran, once, in order {seen}"
        )
    left_over = page.locator(".jp-Dialog, .Toastify__toast")
    assert left_over.count() == 0, f"left over the page: {left_over.all_inner_texts()} {seen}"
    # The bell in the status bar counts notifications, those that have closed by now too.
    bell = page.locator(".jp-Notification-Status-Text").inner_text()
    assert bell == "0", f"{bell} notifications in the status bar {seen}"

    drawn = [width for i in learners_view(cells) for width in shown[i]["images"]]
    stored = figures_on_show(cells)
    assert len(drawn) == stored, f"{len(drawn)} figures drawn, {stored} stored {seen}"
    assert all(width > 0 for width in drawn), f"an empty figure: widths {drawn} {seen}"

    for i, cell in enumerate(cells):
        if is_solution(cell):
            assert shown[i]["sourceCollapsed"] and not shown[i]["sourceShown"], (
                f"cell {i}: the worked solution's source is open {seen}"
            )
        if is_stub(cell):
            assert any("○ Not attempted yet" in text for text in shown[i]["outputsShown"]), (
                f"cell {i}: the exercise stub shows {shown[i]['outputsShown']} {seen}"
            )
    open_answers = [
        i for i, cell in enumerate(cells) if is_solution(cell) and shown[i]["outputsShown"]
    ]
    assert not open_answers, f"cells {open_answers}: the worked solution's output is open {seen}"
    return cells


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_each_notebook_opens_in_jupyterlab_as_stored(notebook, lab_page, lab):
    open_notebook(lab_page, notebook)
    # JupyterLab adds a notebook's cells to the page in batches, while it is idle.
    cells = len(json.loads(notebook.read_text())["cells"])
    lab_page.wait_for_function(
        f"() => document.querySelectorAll('.jp-Notebook .jp-Cell').length === {cells}",
        timeout=LOAD_TIMEOUT_MS,
    )
    wait_until_done(lab_page)  # and the figures decoded
    check_the_learners_view(lab_page, lab, notebook, ran=False)


def test_restart_and_run_all_in_jupyterlab(lab_page, lab):
    open_notebook(lab_page, RUN_IN_LAB)
    restart_and_run_all(lab_page)
    wait_until_done(lab_page)
    cells = check_the_learners_view(lab_page, lab, RUN_IN_LAB, ran=True)
    # The course's extension closes a solution's output only while its source is closed: a
    # learner who opens a solution and runs it sees what it prints.
    first = next(i for i, cell in enumerate(cells) if is_solution(cell))
    said = open_and_run(lab_page, first)
    assert any("✓ Correct" in text for text in said), (
        f"cell {first}: the opened worked solution, run, shows {said} (the page after the run)"
    )


@pytest.mark.parametrize("edition, file_menu", [("en", "File"), ("zh", "文件")])
def test_the_menus_speak_the_editions_language(browser, tmp_path, edition, file_menu):
    server = Lab(tmp_path, edition=edition)
    try:
        server.wait_until_up()
        page = browser.new_page()
        page.goto(f"{server.url}/lab?token={server.token}")
        first = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").first
        first.wait_for(timeout=LOAD_TIMEOUT_MS)
        assert first.inner_text() == file_menu
        page.close()
    finally:
        server.stop()
