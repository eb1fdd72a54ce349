"""Checkers for the exercises: one module per notebook (``nb01`` for notebook 01, ...), each
listing its checkers in ``__all__``; ``core`` holds what they share. Every checker is
re-exported here and at the top level of relu_lib (a test checks no two share a name)."""

from . import nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08
from .nb01 import *
from .nb02 import *
from .nb03 import *
from .nb04 import *
from .nb05 import *
from .nb06 import *
from .nb07 import *
from .nb08 import *

__all__ = [
    *nb01.__all__,
    *nb02.__all__,
    *nb03.__all__,
    *nb04.__all__,
    *nb05.__all__,
    *nb06.__all__,
    *nb07.__all__,
    *nb08.__all__,
]
