"""Which PyTorch build `make setup` installs: prints pip's arguments for torch (nothing: PyPI's).

    python3 etc/torch_build.py auto|cpu|pypi

- auto (the default): PyTorch's CPU-only build on Linux without an NVIDIA driver (about 0.2 GB
  of torch instead of PyPI's 5 GB CUDA build), PyPI's wheel elsewhere (macOS and Windows: no
  CUDA in it; Linux with an NVIDIA driver: the CUDA build, which uses the GPU).
- cpu: PyTorch's CPU-only build, whatever the machine.
- pypi: PyPI's wheel, whatever the machine.

PyTorch's index is asked first, with a timeout of a few seconds, so a machine that cannot reach
it learns so at once instead of through pip's minutes of retries: auto then takes PyPI's wheel
and says so in one line; cpu stops with that line. Written for the Python that creates .venv
(standard library only: nothing is installed yet).
"""

import pathlib
import platform
import shutil
import sys
import urllib.error
import urllib.request

CPU_INDEX = "https://download.pytorch.org/whl/cpu"
CHOICES = ("auto", "cpu", "pypi")
PROBE_SECONDS = 5


def has_nvidia_driver():
    return pathlib.Path("/proc/driver/nvidia/version").exists() or bool(shutil.which("nvidia-smi"))


def index_answers(url=CPU_INDEX, timeout=PROBE_SECONDS):
    try:
        with urllib.request.urlopen(f"{url}/torch/", timeout=timeout):
            return True
    except (OSError, ValueError):  # URLError, timeouts and refused connections are OSErrors
        return False


def choose(torch, system, nvidia, answers):
    """(pip arguments, a line for the learner or None, exit status) for TORCH=torch on a machine
    running `system` (platform.system()), with or without an NVIDIA driver; `answers()` asks
    PyTorch's index and is called only when that index would be used."""
    if torch not in CHOICES:
        return "", f"TORCH must be one of {', '.join(CHOICES)}; got {torch!r}", 2
    wants_cpu = torch == "cpu" or (torch == "auto" and system == "Linux" and not nvidia)
    if not wants_cpu:
        return "", None, 0
    if answers():
        return f"--index-url {CPU_INDEX} --retries 1", None, 0
    unreachable = f"PyTorch's CPU-only index ({CPU_INDEX}) did not answer within {PROBE_SECONDS} s"
    if torch == "cpu":
        return "", f"{unreachable}. `make setup TORCH=pypi` takes PyPI's torch instead.", 1
    return (
        "",
        f"{unreachable}: taking torch from pip's usual sources instead "
        "(PyPI's Linux wheel is the CUDA build, about 5 GB).",
        0,
    )


def main(argv):
    args, line, status = choose(argv[1] if len(argv) > 1 else "auto", platform.system(),
                                has_nvidia_driver(), index_answers)  # fmt: skip
    if line:
        print(line, file=sys.stderr)
    print(args)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
