"""python -m bench.peers's command line, parsed only: no installs, no servers."""

from __future__ import annotations

import pytest
from bench.peers.__main__ import parse_args


def test_defaults() -> None:
    args = parse_args(["postgraphile"])
    assert (args.peer, args.repetitions, args.quick) == ("postgraphile", 3, False)


def test_options() -> None:
    args = parse_args(["prefect", "--repetitions", "5", "--quick"])
    assert (args.peer, args.repetitions, args.quick) == ("prefect", 5, True)


@pytest.mark.parametrize(
    "argv",
    [[], ["hasura"], ["prefect", "--repetitions", "0"], ["prefect", "--repetitions", "x"]],
)
def test_usage_errors(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        parse_args(argv)
    assert exit_.value.code == 2
    assert "usage: python -m bench.peers" in capsys.readouterr().err
