r"""ReLU for PyTorch, written from scratch: an autograd Function and an ``nn.ReLU`` twin.

Forward: :math:`y = \max(0, x)`, as ``torch.relu`` computes it (NaN stays NaN, -0.0 stays -0.0).
Backward: :math:`\partial L/\partial x = \partial L/\partial y \cdot [y > 0]`, read from the
*output*, as PyTorch does (``threshold_backward`` on the result). The derivative at exactly 0
is therefore 0, and because only the output is needed, the forward may overwrite its input.
"""

import torch
from torch import nn

__all__ = ["ReLUFunction", "ReLU"]


class ReLUFunction(torch.autograd.Function):
    """``ReLUFunction.apply(x, inplace=False)``: ReLU with a hand-written backward."""

    @staticmethod
    def forward(ctx, x, inplace=False):
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"ReLUFunction needs a torch.Tensor; got {type(x).__name__}")
        if x.is_complex() or x.dtype == torch.bool:
            raise TypeError(f"ReLU needs a real-valued tensor; got dtype {x.dtype}")
        if inplace:
            ctx.mark_dirty(x)
            out = x.masked_fill_(x < 0, 0)
        else:
            out = x.masked_fill(x < 0, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad_output):
        (out,) = ctx.saved_tensors
        # 0 where the output is <= 0, the incoming gradient elsewhere (PyTorch's rule).
        return grad_output.masked_fill(out <= 0, 0), None


class ReLU(nn.Module):
    """Drop-in twin of ``nn.ReLU(inplace=False)``, built on :class:`ReLUFunction`.

    With ``inplace=True`` the input tensor is overwritten and returned (same storage).
    """

    def __init__(self, inplace=False):
        super().__init__()
        if not isinstance(inplace, bool):
            raise TypeError(f"inplace must be True or False; got {inplace!r}")
        self.inplace = inplace

    def forward(self, x):
        return ReLUFunction.apply(x, self.inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""
