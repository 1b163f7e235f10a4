"""Run the whole test suite against real services (`make test`).

PostgreSQL and Redis come from DATABASE_URL and REDIS_URL when they are set. When
they are not, and the server binaries are installed, throwaway instances are started
in a temporary folder and removed afterwards. When neither is possible the suite
falls back (SQLite, no Redis) and the tests that need the missing service are
skipped and listed loudly; with THB_REQUIRE_SERVICES=1 a missing service is an error.

Only the standard library is used here, so this runs before anything is installed.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def say(message: str) -> None:
    print(f"[make test] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def postgres_bin_dir() -> Path | None:
    on_path = shutil.which("initdb")
    candidates = [Path(on_path).parent] if on_path else []
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)]
    for directory in candidates:
        if (directory / "initdb").exists() and (directory / "pg_ctl").exists() and (directory / "postgres").exists():
            return directory
    return None


@contextmanager
def throwaway_postgres(bin_dir: Path):
    """A private cluster on a free port; PostgreSQL refuses root, so run as `postgres`."""
    run_as: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and there is no 'postgres' user to run the server as") from None
        run_as = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="thb-pg-"))
    data = base / "data"
    if owner:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    port = free_port()
    subprocess.run(
        [*run_as, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    subprocess.run(
        [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgres://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(base, ignore_errors=True)


@contextmanager
def throwaway_redis(binary: str):
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="thb-redis-")
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", workdir],
        stdout=subprocess.DEVNULL,
    )
    try:
        if not wait_for_port(port):
            raise RuntimeError("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str]) -> int:
    require = os.environ.get("THB_REQUIRE_SERVICES") == "1"
    env = dict(os.environ)
    env["THB_TESTING"] = "1"
    # Tests choose where a real worker runs; everything else runs tasks in-process.
    env.setdefault("THB_CELERY_EAGER", "1")
    env["THB_CACHE_PREFIX"] = f"thb-test-{os.getpid()}"
    available, missing = [], []

    with ExitStack() as stack:
        if env.get("DATABASE_URL"):
            available.append("postgres")
        elif (bin_dir := postgres_bin_dir()) is not None:
            try:
                env["DATABASE_URL"] = stack.enter_context(throwaway_postgres(bin_dir))
                available.append("postgres")
                say(f"started a throwaway PostgreSQL from {bin_dir}")
            except (RuntimeError, subprocess.CalledProcessError) as error:
                say(f"could not start PostgreSQL: {error}")
                missing.append("postgres")
        else:
            missing.append("postgres")

        if env.get("REDIS_URL"):
            available.append("redis")
        elif shutil.which("redis-server"):
            try:
                env["REDIS_URL"] = stack.enter_context(throwaway_redis(shutil.which("redis-server")))
                available.append("redis")
                say("started a throwaway Redis")
            except RuntimeError as error:
                say(f"could not start Redis: {error}")
                missing.append("redis")
        else:
            missing.append("redis")

        # The Celery broker of the worker tests: a Redis the tests start, stop and restart
        # themselves (tests/service_fixtures.py), never the shared cache.
        if shutil.which("redis-server"):
            broker_port = free_port()
            env["THB_TEST_BROKER_PORT"] = str(broker_port)
            env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{broker_port}/0"
            available.append("broker")
        else:
            missing.append("broker")

        chromium = env.get("THB_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium:
            env["THB_CHROMIUM"] = chromium
            available.append("chromium")
        else:
            missing.append("chromium")

        env["THB_AVAILABLE_SERVICES"] = ",".join(available)
        if missing:
            banner = f"MISSING SERVICES: {', '.join(missing)}"
            if require:
                say(f"{banner}. THB_REQUIRE_SERVICES=1, so this is an error.")
                return 2
            say("=" * 72)
            say(f"{banner}. Tests that need them will be SKIPPED; the database is SQLite.")
            say("Install postgresql, redis-server and chromium (or set DATABASE_URL/REDIS_URL) for the full suite.")
            say("=" * 72)
        say(f"services: {', '.join(available) or 'none'}")
        # One worker per core (pytest-xdist; tests/parallel_workers.py keeps them apart).
        # THB_TEST_WORKERS=1, or an -n of your own, runs it your way.
        workers = env.get("THB_TEST_WORKERS") or str(os.cpu_count() or 1)
        parallel = [] if workers == "1" or any(arg.startswith("-n") for arg in argv) else ["-n", workers]
        command = [sys.executable, "-m", "pytest", *parallel, *argv]
        return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
