"""One knob for all chance: every random draw of the course starts from a seed that passes here.

A claim the course makes must be a property of what it measures, not the luck of one draw.
``RELU_LIB_SEED_OFFSET=k`` (a whole number, 0 when unset) shifts every seed by
:math:`1000\\,k` (modulo :math:`2^{32}`), so a whole notebook runs again on fresh draws: fresh
weights, data splits, mini-batch orders and random inputs. Seeds within one notebook differ by
less than 1000, so no shifted seed lands on a seed the same notebook already uses unshifted.

relu_lib's own functions shift the seeds they are given (``make_mlp(seed=...)``,
``digits(seed=...)``, ``train(seed=...)``, ...); a notebook that draws numbers itself takes its
generator from here: :func:`rng` (NumPy), :func:`generator` (torch) or :func:`manual_seed`
(torch's global state).
"""

import os

import numpy as np
import torch

from ._checks import SEED_MAX, check_seed

__all__ = ["SEED_OFFSET_VARIABLE", "seed_offset", "shifted_seed", "rng", "generator", "manual_seed"]

SEED_OFFSET_VARIABLE = "RELU_LIB_SEED_OFFSET"
SEED_STRIDE = 1000


def seed_offset():
    """The whole number k in ``RELU_LIB_SEED_OFFSET`` (0 when unset or empty)."""
    text = os.environ.get(SEED_OFFSET_VARIABLE, "").strip()
    if not text:
        return 0
    if not text.isdigit():
        raise ValueError(
            f"{SEED_OFFSET_VARIABLE} must be a whole number 0, 1, 2, ... (each step shifts every "
            f"seed by {SEED_STRIDE}); got {text!r}"
        )
    return int(text)


def shifted_seed(seed, name="seed"):
    """``seed`` (an int in [0, 2**32 - 1]) plus 1000 times the offset, modulo 2**32."""
    return (check_seed(seed, name) + SEED_STRIDE * seed_offset()) % (SEED_MAX + 1)


def rng(seed):
    """``np.random.default_rng`` of the shifted seed: a notebook's NumPy draws."""
    return np.random.default_rng(shifted_seed(seed))


def generator(seed):
    """A CPU ``torch.Generator`` seeded with the shifted seed: a notebook's torch draws
    (``torch.randn(..., generator=rl.generator(0))``)."""
    return torch.Generator().manual_seed(shifted_seed(seed))


def manual_seed(seed):
    """``torch.manual_seed`` of the shifted seed: for draws that use torch's global state
    (``nn.Linear``'s initialisation, dropout, ``nn.RReLU`` in training)."""
    torch.manual_seed(shifted_seed(seed))
