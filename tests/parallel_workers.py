"""Keeps the suite's parallel workers (pytest-xdist, `make test`) out of each other's way.

pytest-django already gives each worker its own test database (test_<name>_gw0, _gw1, …).
What it cannot separate is set here, from the worker's id, before Django reads its settings
(this module is loaded with `-p`, ahead of pytest-django's setup):

- the Redis cache: `cache.clear()` empties a whole Redis database whatever the key prefix,
  so each worker gets a database of its own (the controller and a serial run keep 0);
- the Celery broker of the worker tests: they start, stop and restart a Redis on that port,
  so each worker gets a free port of its own.
"""

import os
import socket
from urllib.parse import urlsplit, urlunsplit

worker = os.environ.get("PYTEST_XDIST_WORKER", "")


def _own_database(url: str, number: int) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{number}"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if worker.startswith("gw"):
    number = int(worker[2:]) + 1
    if os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = _own_database(os.environ["REDIS_URL"], number)
    os.environ["THB_CACHE_PREFIX"] = f"{os.environ.get('THB_CACHE_PREFIX', 'thb-test')}-{worker}"
    if os.environ.get("THB_TEST_BROKER_PORT"):
        port = _free_port()
        os.environ["THB_TEST_BROKER_PORT"] = str(port)
        os.environ["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{port}/0"
