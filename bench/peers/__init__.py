"""Cairn against its peers on one embedded stack: ``python -m bench.peers postgraphile|prefect``."""
