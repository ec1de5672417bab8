"""Cairn benchmarks (not tests: run ``python -m bench.run``)."""
