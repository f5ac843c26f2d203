"""One real Kamailio, calls-bus, calls-gateway and calls-kamailio for the whole module."""

from __future__ import annotations

import pytest

from kamailiostack import Stack


@pytest.fixture(scope="module")
def stack():
    made = Stack()
    try:
        yield made.start()
    finally:
        made.close()
