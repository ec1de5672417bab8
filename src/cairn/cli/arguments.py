"""Argument types shared by the command lines."""

from __future__ import annotations

import argparse


def positive_int(text: str) -> int:
    """argparse ``type=``: a whole number of at least 1 (else a usage error, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value
