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


@pytest.mark.parametrize(
    "condition, named",
    [
        (np.array(np.nan), "ndarray of dtype float64"),
        (torch.tensor([np.nan]), "Tensor of dtype torch.float32"),
        (float("nan"), "nan (float)"),
        (np.float64(0.3), "(float64)"),
        (np.int8(-3), "(int8)"),
        (torch.tensor(1.0), "Tensor of dtype torch.float32"),
        (1, "1 (int)"),
        (0.0, "0.0 (float)"),
        (None, "None (NoneType)"),
    ],
)
def test_a_number_or_nan_is_not_a_truth_value_and_is_named(condition, named):
    with pytest.raises(TypeError, match="single True/False") as error:
        claim(condition, "computed, not compared")
    assert named in str(error.value)


def test_in_record_mode_a_failing_claim_prints_a_cross_and_its_measurements(monkeypatch, capsys):
    monkeypatch.setenv("RELU_LIB_CLAIMS", "record")
    claim(False, "ratio is above 6", ratio=2.5)
    claim(True, "ReLU is idempotent")
    assert capsys.readouterr().out == (
        "✗ Claim does not hold: ratio is above 6 (measured: ratio=2.5)\n✓ ReLU is idempotent\n"
    )
    with pytest.raises(TypeError, match="single True/False"):
        claim(np.nan, "a non-truth value is still an error when recording")
    claim(False, "an array's measurements", values=np.arange(30.0))
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("✗ Claim does not hold: an array's") and line.endswith("29.]))")


def test_an_unknown_claims_mode_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("RELU_LIB_CLAIMS", "recrod")
    with pytest.raises(ValueError, match="RELU_LIB_CLAIMS must be 'raise'.*'recrod'"):
        claim(False, "never silently raised or recorded")
