"""Real local services for integration tests: an SMTP server, a Redis broker, a Celery worker.

Nothing here is mocked: the worker is `celery worker` in its own process, reading the
test database and sending through SMTP to the server started here.
"""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def wait_until(condition, timeout: float = 20, interval: float = 0.1, message: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RecordingHandler:
    """Keeps each message the server accepted, as a real relay would queue it."""

    messages: list[Message] = field(default_factory=list)
    hold_next_seconds: float = 0
    data_started: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server, session, envelope):
        self.data_started.set()
        if self.hold_next_seconds:
            hold, self.hold_next_seconds = self.hold_next_seconds, 0
            await asyncio.sleep(hold)
            if server.transport is None:
                # The client vanished before the final reply: nothing was accepted.
                return "451 connection lost"
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self):
        self.handler = RecordingHandler()
        self.port = _free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self) -> list[Message]:
        return self.handler.messages

    def to(self, address: str) -> list[Message]:
        return [message for message in self.messages if message["To"] == address]

    def clear(self) -> None:
        self.handler.messages.clear()
        self.handler.data_started.clear()


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def smtp_email(settings, smtp_server):
    """Point the test process's own email at the local SMTP server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    return smtp_server


class Broker:
    """The Redis the worker tests use as Celery broker, which they may stop and restart."""

    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_until(self._answers, message="the Redis broker to start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                return True
        except OSError:
            return False

    def client(self):
        import redis

        return redis.Redis.from_url(self.url)


@pytest.fixture(scope="session")
def broker():
    port = os.environ.get("THB_TEST_BROKER_PORT")
    if not port:
        pytest.skip("no broker port: run the suite through `make test`")
    broker = Broker(int(port))
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def celery_not_eager(broker):
    """Let this test's own tasks go to the broker instead of running in-process."""
    from thb_portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    broker.client().flushdb()
    yield app
    app.conf.task_always_eager = previous
    if broker.process is not None:
        broker.client().flushdb()


def _test_database_url() -> str:
    settings = connection.settings_dict
    user = quote(settings.get("USER") or "", safe="")
    password = quote(settings.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    return f"postgres://{credentials}{host}:{port}/{settings['NAME']}"


class Worker:
    def __init__(self, process: subprocess.Popen, log_path: Path):
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def pool_children(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def kill_pool_child(self) -> int:
        """SIGKILL the process running the task, as an out-of-memory kill would."""
        pid = self.pool_children()[0]
        os.kill(pid, signal.SIGKILL)
        return pid


@pytest.fixture
def celery_worker(transactional_db, django_db_serialized_rollback, broker, smtp_server, celery_not_eager, tmp_path):
    """A real `celery worker` process on the test database, emailing the local SMTP server."""
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs the PostgreSQL test database")
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thb_portal.settings",
        "THB_TESTING": "1",
        "THB_CELERY_EAGER": "0",
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": broker.url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
    }
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "thb_portal",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "info",
                "--hostname",
                f"test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(process, log_path)
    try:
        wait_until(lambda: " ready." in worker.log() or process.poll() is not None, timeout=60, message="the worker")
        if process.poll() is not None:
            raise AssertionError(f"the worker exited:\n{worker.log()}")
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # The flush after a transactional test needs the worker's connections gone.
        connection.close()
