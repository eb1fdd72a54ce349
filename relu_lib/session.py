"""What every notebook calls once at the top: seeds, threads, plot style, device."""

import os
import random

import numpy as np
import torch

from ._checks import check_int
from .plotting import describe_figure, use_course_style
from .seeds import shifted_seed

__all__ = ["setup_notebook", "get_device"]

DEVICE_VARIABLE = "RELU_LIB_DEVICE"


def get_device():
    """The device experiments run on: CUDA when present, else the CPU.

    Setting the environment variable ``RELU_LIB_DEVICE`` (``cpu`` or ``cuda``) overrides the
    choice; ``make test`` and ``make execute`` set it to ``cpu`` because the outputs stored in
    the notebooks are CPU outputs.
    """
    requested = os.environ.get(DEVICE_VARIABLE, "").strip().lower()
    if requested not in ("", "cpu", "cuda"):
        raise ValueError(f"{DEVICE_VARIABLE} must be 'cpu' or 'cuda'; got {requested!r}")
    if requested == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"{DEVICE_VARIABLE}=cuda, but torch sees no CUDA device")
    if requested:
        return torch.device(requested)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def setup_notebook(seed=0, threads=1):
    """Seed ``random``, NumPy and torch, fix torch's CPU thread count, apply the plot style.

    A fixed thread count matters for reproducibility: how a sum is split across threads
    changes its last bits, so printed numbers would depend on the machine's cores.
    ``seed``, like every seed in relu_lib, is an int in [0, 2**32 - 1] (``np.random.seed``
    takes nothing larger), shifted by ``RELU_LIB_SEED_OFFSET`` (see ``seeds``); ``threads`` a
    positive int. Returns the device to run on (see
    :func:`get_device`).
    """
    seed = shifted_seed(seed)
    threads = check_int(threads, "threads", minimum=1, what="a positive int")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    use_course_style()
    describe_figures_in_words()
    return get_device()


def describe_figures_in_words():
    """In a notebook, make each figure's text output its description (``describe_figure``)
    instead of ``<Figure size 640x480 with 2 Axes>``: the book uses it as the figure's alt text,
    and nbval compares it like any printed text. Outside IPython it does nothing."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        # Jupyter's inline backend, configured when it is first loaded (usually at the first
        # figure), drops every formatter registered for Figure: load it first. Importing it
        # again is a no-op, and outside the inline backend its import configures nothing.
        import matplotlib_inline.backend_inline  # noqa: F401
        from matplotlib.figure import Figure

        shell.display_formatter.formatters["text/plain"].for_type(
            Figure, lambda figure, printer, cycle: printer.text(describe_figure(figure))
        )
