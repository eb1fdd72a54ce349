"""What every exercise checker's tests need: run a checker and read its one line of feedback."""

import re

import pytest


def feedback(capsys, checker, answer):
    """The line ``checker(answer)`` prints (exactly one line, or the test fails)."""
    checker(answer)
    out = capsys.readouterr().out
    assert out.count("\n") == 1, "a checker prints exactly one line"
    return out


def rejected(capsys, checker, answer, pattern):
    """``answer`` is rejected with a hint matching the regex ``pattern``, and ``must_pass``
    turns the rejection into an AssertionError carrying that hint."""
    out = feedback(capsys, checker, answer)
    assert out.startswith("✗ Not yet"), out
    assert re.search(pattern, out), out
    with pytest.raises(AssertionError, match=pattern):
        checker(answer, must_pass=True)
