"""Fixtures the paging tests share (tests/queries/test_paging.py, test_backward_paging.py)."""

from __future__ import annotations

import pytest

from tests.support.http import Client
from tests.support.paging import PagingData, seed_paging_data
from tests.support.stack import Stack


@pytest.fixture
def data(client: Client, stack: Stack) -> PagingData:
    return seed_paging_data(client, stack)
