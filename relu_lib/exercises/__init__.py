"""Checkers for the exercises: one module per notebook (``nb01`` for notebook 01, ...), each
listing its checkers in ``__all__``; ``core`` holds what they share. Every checker is
re-exported here and at the top level of relu_lib."""

import importlib
import pkgutil

__all__ = []
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("nb")):
    _checkers = importlib.import_module(f"{__name__}.{_module}")
    for _name in _checkers.__all__:
        if _name in __all__:  # else the later notebook's checker would silently replace it
            raise ImportError(f"two exercise modules define {_name}; give one another name")
        globals()[_name] = getattr(_checkers, _name)
    __all__ += _checkers.__all__
