"""What a learner meets outside the notebooks: their own copies, a quiet JupyterLab, a clear
port error, a CPU-only install on request, and an install that prints no warning."""

import hashlib
import importlib.util
import json
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def make(*args, cwd=ROOT, check=True):
    result = subprocess.run(
        ["make", "--no-print-directory", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture
def course(tmp_path):
    """A copy of what the notebook targets of the Makefile read, in a folder of its own."""
    for name in ("Makefile", "requirements.txt"):
        shutil.copy(ROOT / name, tmp_path)
    (tmp_path / "etc").mkdir()
    shutil.copy(ROOT / "etc" / "my_notebooks.py", tmp_path / "etc")
    (tmp_path / "notebooks").mkdir()
    for nb in NOTEBOOKS[:2]:
        shutil.copy(nb, tmp_path / "notebooks")
    return tmp_path


def test_my_notebooks_copies_the_course_once_and_never_overwrites_the_learners_work(course):
    first = make("my-notebooks", cwd=course).stdout
    mine = course / "my_notebooks"
    assert sorted(p.name for p in mine.glob("*.ipynb")) == [nb.name for nb in NOTEBOOKS[:2]]
    assert first.count("new: ") == 2
    copied = json.loads((mine / NOTEBOOKS[0].name).read_text())
    code = [cell for cell in copied["cells"] if cell["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    answer = mine / NOTEBOOKS[0].name
    answer.write_text("the learner's answers")
    assert make("my-notebooks", cwd=course).stdout == ""
    assert answer.read_text() == "the learner's answers"
    # A notebook added to the course later reaches the learner; their work stays.
    shutil.copy(NOTEBOOKS[2], course / "notebooks")
    assert (
        make("my-notebooks", cwd=course).stdout.strip() == f"new: my_notebooks/{NOTEBOOKS[2].name}"
    )
    assert answer.read_text() == "the learner's answers"


def test_fresh_notebooks_keeps_the_old_copies_and_brings_clean_ones(course):
    make("my-notebooks", cwd=course)
    mine = course / "my_notebooks"
    (mine / NOTEBOOKS[0].name).write_text("the learner's answers")
    (mine / NOTEBOOKS[1].name).write_text("more answers")
    said = make("fresh-notebooks", f"NOTEBOOK={NOTEBOOKS[0].name[:2]}", cwd=course).stdout
    (old,) = mine.glob("old-*")
    assert f"kept in my_notebooks/{old.name}/" in said
    assert (old / NOTEBOOKS[0].name).read_text() == "the learner's answers"
    assert json.loads((mine / NOTEBOOKS[0].name).read_text())["cells"]  # a fresh copy
    assert (mine / NOTEBOOKS[1].name).read_text() == "more answers"  # the other one untouched
    make("fresh-notebooks", cwd=course)  # all of them
    assert json.loads((mine / NOTEBOOKS[1].name).read_text())["cells"]


def test_make_lab_names_the_notebooks_the_course_changed_since_they_were_copied(course):
    make("my-notebooks", cwd=course)
    assert make("my-notebooks", cwd=course).stdout == ""
    changed = json.loads((course / "notebooks" / NOTEBOOKS[1].name).read_text())
    changed["cells"][0]["source"] = "# A new title"
    (course / "notebooks" / NOTEBOOKS[1].name).write_text(json.dumps(changed))
    said = make("my-notebooks", cwd=course).stdout
    assert f"changed since you copied: {NOTEBOOKS[1].name}" in said
    assert f"make fresh-notebooks NOTEBOOK={NOTEBOOKS[1].name[:2]}" in said
    assert "lab: $(STAMP) my-notebooks" in (ROOT / "Makefile").read_text()


def test_make_progress_reads_the_learners_notebooks_in_either_edition(course):
    make("my-notebooks", cwd=course)
    said = make("progress", cwd=course).stdout
    assert "Exercise 1 not started" in said and "0 of" in said
    (course / "notebooks" / "zh").mkdir()
    for nb in NOTEBOOKS[:2]:
        shutil.copy(ROOT / "notebooks" / "zh" / nb.name, course / "notebooks" / "zh")
    make("my-notebooks", "EDITION=zh", cwd=course)
    assert "练习 1 未开始" in make("progress", "EDITION=zh", cwd=course).stdout


def test_my_notebooks_are_ignored_by_git_and_kept_by_make_clean():
    assert "my_notebooks/" in (ROOT / ".gitignore").read_text().splitlines()
    clean = make("-n", "clean").stdout
    assert "my_notebooks" not in clean.replace("never my_notebooks/", "")


def test_make_lab_opens_the_learners_copies():
    lab = make("-n", "lab", "MY_NOTEBOOKS=/nonexistent-for-dry-run").stdout
    assert "--notebook-dir=/nonexistent-for-dry-run" in lab and "--ServerApp.port_retries=0" in lab


def test_make_lab_says_clearly_when_its_port_is_taken(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        # -o: never (re)install from inside a test, whatever the stamp says
        result = make(
            "-o", ".venv/.installed", "lab", f"PORT={port}", f"MY_NOTEBOOKS={tmp_path}", check=False
        )
    assert result.returncode != 0
    assert f"Port {port} is taken" in result.stderr and "make lab PORT=" in result.stderr


spec = importlib.util.spec_from_file_location("torch_build", ROOT / "etc" / "torch_build.py")
torch_build = importlib.util.module_from_spec(spec)
spec.loader.exec_module(torch_build)
CPU_ARGS = "--index-url https://download.pytorch.org/whl/cpu --retries 1"


def never_asked():
    raise AssertionError("PyTorch's index asked where it is not used")


@pytest.mark.parametrize(
    "torch, system, nvidia, expected",
    [
        ("auto", "Linux", False, CPU_ARGS),  # a Linux laptop: no 5 GB CUDA build
        ("auto", "Linux", True, ""),  # PyPI's CUDA build, which uses the GPU
        ("auto", "Darwin", False, ""),  # PyPI's macOS wheel has no CUDA
        ("auto", "Windows", False, ""),
        ("cpu", "Darwin", False, CPU_ARGS),
        ("cpu", "Linux", True, CPU_ARGS),
        ("pypi", "Linux", False, ""),
    ],
)
def test_setup_picks_the_cpu_build_on_linux_without_an_nvidia_driver(
    torch, system, nvidia, expected
):
    answers = (lambda: True) if expected else never_asked
    assert torch_build.choose(torch, system, nvidia, answers) == (expected, None, 0)


def test_an_unreachable_pytorch_index_falls_back_to_pypi_in_one_line_or_stops_when_asked_for():
    args, line, status = torch_build.choose("auto", "Linux", False, lambda: False)
    assert (args, status) == ("", 0) and "\n" not in line
    assert "taking torch from pip's usual sources instead" in line
    args, line, status = torch_build.choose("cpu", "Linux", False, lambda: False)
    assert status == 1 and "make setup TORCH=pypi" in line
    assert torch_build.choose("cuda", "Linux", False, never_asked)[2] == 2


def test_the_probe_gives_up_within_seconds_on_an_address_that_does_not_answer():
    # 192.0.2.0/24 is reserved for documentation (RFC 5737): nothing answers there.
    start = time.monotonic()
    assert not torch_build.index_answers("http://192.0.2.1/whl/cpu", timeout=1)
    assert time.monotonic() - start < 5


def test_setup_installs_the_pinned_torch_from_the_source_the_chooser_names():
    pin = next(
        line.split("==")[1].strip()
        for line in (ROOT / "requirements.txt").read_text().splitlines()
        if line.startswith("torch==")
    )
    dry = make("-n", "-B", "setup", "TORCH=cpu").stdout
    assert "etc/torch_build.py cpu > .venv/.torch-source" in dry
    assert f'pip install --quiet "torch=={pin}" $(cat .venv/.torch-source)' in dry
    assert "etc/torch_build.py auto" in make("-n", "-B", "setup").stdout
    wrong = make("-n", "setup", "TORCH=cuda", check=False)
    assert wrong.returncode != 0 and "TORCH must be auto, pypi or cpu; got 'cuda'" in wrong.stderr


def test_jupyterlab_news_and_update_checks_are_off_in_this_venv_only():
    ours = json.loads((ROOT / "etc" / "jupyterlab-overrides.json").read_text())
    installed = pathlib.Path(sys.prefix) / "share/jupyter/lab/settings/overrides.json"
    assert json.loads(installed.read_text()) == ours, "run `make setup` (the stamp reads etc/)"
    schemas = pathlib.Path(sys.prefix) / "share/jupyter/lab/schemas"
    for plugin, settings in ours.items():
        package, name = plugin.split(":")
        schema = json.loads((schemas / package / f"{name}.json").read_text())["properties"]
        for key, value in settings.items():  # a misspelt key or value would be ignored silently
            allowed = [o["const"] for o in schema[key].get("oneOf", [])] or [True, False]
            assert value in allowed, (plugin, key, value)
    notification = ours["@jupyterlab/apputils-extension:notification"]
    assert notification == {"fetchNews": "false", "checkForUpdates": False}


def test_every_folder_of_relu_lib_is_a_listed_package():
    """An unlisted folder with files makes setuptools print a 40-line warning at install."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {
        ".".join(p.relative_to(ROOT).parts)
        for p in [ROOT / "relu_lib", *(ROOT / "relu_lib").rglob("*")]
        if p.is_dir() and p.name != "__pycache__"
    }
    assert folders == listed


def test_the_one_setuptools_notice_a_learner_cannot_act_on_is_filtered_at_install():
    install = next(
        line for line in make("-n", "-B", "setup").stdout.splitlines() if "-r requirements" in line
    )
    previous = make("-n", "-B", "setup").stdout.split(install)[0].rstrip().splitlines()[-1]
    assert 'PYTHONWARNINGS="ignore:Editable installation"' in previous + install


LAB_EXTENSION = ROOT / "etc" / "lab-extension"


def built_extension_files(folder):
    """{relative path: bytes} of what JupyterLab loads from a built extension folder."""
    files = [folder / "package.json", *sorted((folder / "static").glob("*"))]
    return {str(f.relative_to(folder)): f.read_bytes() for f in files}


def test_the_lab_extension_was_built_from_the_source_beside_it():
    """Editing index.js (or its pins) without `make lab-extension` would leave JupyterLab running
    the old build: the build records the sha256 of what it was built from."""
    recorded = (LAB_EXTENSION / "labextension" / "built-from.sha256").read_text().split()
    recorded = dict(zip(recorded[1::2], recorded[::2], strict=True))
    sources = ("index.js", "package.json", "package-lock.json")
    current = {
        name: hashlib.sha256((LAB_EXTENSION / name).read_bytes()).hexdigest() for name in sources
    }
    assert recorded == current, (
        "etc/lab-extension changed since its build: run `make lab-extension`"
    )
    built = json.loads((LAB_EXTENSION / "labextension" / "package.json").read_text())
    assert built["jupyterlab"]["_build"]["load"].startswith("static/remoteEntry.")
    assert (LAB_EXTENSION / "labextension" / built["jupyterlab"]["_build"]["load"]).is_file()


def test_the_lab_extension_is_installed_in_this_venv_as_built():
    installed = pathlib.Path(sys.prefix) / "share/jupyter/labextensions/relu-course-lab"
    assert built_extension_files(installed) == built_extension_files(
        LAB_EXTENSION / "labextension"
    ), "run `make setup` (the stamp reads etc/lab-extension/labextension)"


def test_a_regular_install_ships_the_lab_extension_too():
    """conda and Binder install relu_lib without -e, which honours pyproject's data-files: each
    file lands in its target folder under the environment's prefix."""
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    target = pathlib.PurePosixPath("share/jupyter/labextensions/relu-course-lab")
    installed = {
        str(pathlib.PurePosixPath(folder).relative_to(target) / path.name)
        for folder, patterns in setuptools["data-files"].items()
        for pattern in patterns
        for path in ROOT.glob(pattern)
    }
    assert installed == set(built_extension_files(LAB_EXTENSION / "labextension"))
