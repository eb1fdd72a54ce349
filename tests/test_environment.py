"""One list of pins (requirements.txt), read by pip, conda/Binder and the packaging."""

import pathlib
import re
import tomllib

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]
NEEDED = {
    "torch",
    "numpy",
    "matplotlib",
    "scikit-learn",
    "scipy",
    "jupyterlab",
    "ipykernel",
    "nbclient",
    "nbval",
    "pytest",
    "pytest-xdist",
    "hypothesis",
    "ruff",
}


def pins():
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    reqs = [line.split("#")[0].strip() for line in lines]
    return dict(
        re.fullmatch(r"([A-Za-z0-9_.-]+)==([0-9][0-9A-Za-z.+]*)", r).groups() for r in reqs if r
    )


def test_every_dependency_is_pinned_exactly():
    lines = [r.split("#")[0].strip() for r in (ROOT / "requirements.txt").read_text().splitlines()]
    assert all("==" in r for r in lines if r), "every requirement is pinned with =="
    assert NEEDED <= set(pins())


def test_torch_is_pinned_to_the_cpu_friendly_release():
    assert pins()["torch"] == "2.13.0"


def test_environment_yml_uses_python_311_and_the_same_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps and "pip" in deps
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict))
    assert pip_section == ["-r requirements.txt", "."]
    assert env["name"] and env["channels"]


def test_packaging_reads_the_same_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["dynamic"] == ["dependencies"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"]["file"] == ["requirements.txt"]
    assert project["project"]["requires-python"] == ">=3.11"


def test_the_installed_packages_are_the_pinned_ones():
    from importlib.metadata import version

    for name, pinned in pins().items():
        assert version(name).split("+")[0] == pinned, name


def test_makefile_installs_from_requirements_and_ci_runs_the_readme_commands():
    makefile = (ROOT / "Makefile").read_text()
    assert "-r requirements.txt" in makefile
    assert "$(STAMP): requirements.txt pyproject.toml" in makefile
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in ci.splitlines() if line.startswith(("make", "BROWSER_TESTS"))]
    assert "set -euo pipefail" in ci
    assert commands == ["BROWSER_TESTS=required make test", "make robustness"]
    readme = (ROOT / "README.md").read_text()
    assert "make lab" in readme and "make test" in readme
    contributing = (ROOT / "CONTRIBUTING.md").read_text()
    assert "`make robustness`" in contributing and "CI runs it after `make test`" in contributing


def test_every_public_name_of_relu_lib_is_defined_once():
    """Flat re-exports: a name in two modules would let one silently replace the other."""
    import collections

    import relu_lib as rl

    counts = collections.Counter(rl.__all__)
    assert [name for name, n in counts.items() if n > 1] == []
