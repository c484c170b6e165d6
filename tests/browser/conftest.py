"""One dashboard server for the browser tests of both pages (the county tree and the city map)."""

from __future__ import annotations

import pytest

from tests.browser.support import serve


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The dashboard as users start it (``python -m sim.app``): its URL and its log."""
    log = tmp_path_factory.mktemp("server") / "server.log"
    with serve(log) as (port, _):
        yield f"http://127.0.0.1:{port}/", log
