"""relu_lib: the shared code of the ReLU course. Every public name is re-exported here flat
(``import relu_lib as rl; rl.relu(...)``); each module lists its public names in ``__all__``.

- ``functional``: NumPy reference activations and their derivatives
- ``torch_ops``: ``ReLUFunction`` (autograd from scratch) and ``ReLU`` (an ``nn.ReLU`` twin)
- ``nets``: ``make_mlp`` by depth, width, activation and initialisation; ``StackedMLP``
- ``probes``: gradient norms per layer, dead units and sparsity per activation layer
- ``training``: a small deterministic training loop that records the probes
- ``data``: data sets made locally or shipped inside scikit-learn (never downloaded), and the
  course's GPU measurements (``measurements/``)
- ``plotting``: the course's figure style and plot shapes
- ``claims``: ``claim``, how a notebook states a checked result
- ``session``: ``setup_notebook``, called once at the top of every notebook
- ``seeds``: one knob (``RELU_LIB_SEED_OFFSET``) that shifts every seed; a notebook's own
  generators (``rng``, ``generator``, ``manual_seed``)
- ``exercises``: one checker per exercise, one module per notebook
- ``stats``: paired comparisons: Holm's adjustment, the smallest detectable difference
- ``bench``: what activations and in-place ReLU cost on this machine (``make bench``)
"""

from . import (
    bench,
    claims,
    data,
    exercises,
    functional,
    nets,
    plotting,
    probes,
    seeds,
    session,
    stats,
    torch_ops,
    training,
)
from .bench import *
from .claims import *
from .data import *
from .exercises import *
from .functional import *
from .nets import *
from .plotting import *
from .probes import *
from .seeds import *
from .session import *
from .stats import *
from .torch_ops import *
from .training import *

__all__ = [
    *bench.__all__,
    *claims.__all__,
    *data.__all__,
    *exercises.__all__,
    *functional.__all__,
    *nets.__all__,
    *plotting.__all__,
    *probes.__all__,
    *seeds.__all__,
    *session.__all__,
    *stats.__all__,
    *torch_ops.__all__,
    *training.__all__,
]
