import numpy as np
import pytest
import torch

from relu_lib import claim


def test_a_true_claim_prints_a_tick_and_the_statement(capsys):
    claim(True, "ReLU is idempotent")
    assert capsys.readouterr().out == "✓ ReLU is idempotent\n"


def test_a_false_claim_raises_with_the_statement_and_the_measurements():
    with pytest.raises(AssertionError, match=r"ratio is above 6.*measured: ratio=2\.5"):
        claim(2.5 > 6, "ratio is above 6", ratio=2.5)


def test_a_false_claim_prints_nothing(capsys):
    with pytest.raises(AssertionError):
        claim(False, "never printed")
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("condition", [np.bool_(True), np.array([True]), torch.tensor(True)])
def test_one_element_conditions_are_accepted(condition, capsys):
    claim(condition, "ok")
    assert "✓ ok" in capsys.readouterr().out


@pytest.mark.parametrize("condition", [np.array([True, False]), torch.ones(3) > 0, [True]])
def test_ambiguous_conditions_are_a_type_error(condition):
    with pytest.raises(TypeError, match="single True/False"):
        claim(condition, "ambiguous")


@pytest.mark.parametrize("statement", ["", "  ", None])
def test_a_claim_needs_a_statement(statement):
    with pytest.raises(TypeError, match="statement"):
        claim(True, statement)
