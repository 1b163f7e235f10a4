"""Measuring one URL: wrk, or the benchmark's own load generator; and Redis's DEL, for the
pages measured cold."""

import http.client
import re
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

# --- measuring -----------------------------------------------------------------------------------


@dataclass
class Run:
    """One load run against one URL."""

    tool: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int = 0


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _wrk_ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _WRK_UNITS[unit]


def parse_wrk(output: str) -> Run:
    """The figures of `wrk --latency`'s report."""
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, flags=re.MULTILINE))
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, flags=re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", output, flags=re.MULTILINE)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    failures = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if not (rate and total and "50" in percentiles and "99" in percentiles):
        raise RuntimeError(f"cannot read wrk's report:\n{output}")
    errors = int(bad.group(1)) if bad else 0
    errors += sum(int(n) for n in failures.groups()) if failures else 0
    return Run(
        tool="wrk",
        requests_per_second=float(rate.group(1)),
        p50_ms=_wrk_ms(percentiles["50"]),
        p99_ms=_wrk_ms(percentiles["99"]),
        requests=int(total.group(1)),
        errors=errors,
    )


def run_wrk(url: str, *, cookie: str, seconds: float, connections: int) -> Run:
    # wrk takes whole seconds.
    duration = f"-d{max(1, round(seconds))}s"
    command = ["wrk", "--latency", f"-t{min(2, connections)}", f"-c{connections}", duration, "--timeout", "60s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    finished = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    return parse_wrk(finished.stdout)


def _percentile(sorted_values: list[float], fraction: float) -> float:
    # The nearest rank, as wrk reports it.
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def run_load(
    url: str,
    *,
    cookie: str,
    seconds: float,
    connections: int,
    before_each: Callable[[], object] | None = None,
) -> Run:
    """The benchmark's own load generator: `connections` threads, each requesting `url` one
    request at a time for `seconds` (at least once), on a fresh connection each time (gunicorn's
    sync workers close it anyway). `before_each` runs before every request, outside its time."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    headers = {"Cookie": cookie} if cookie else {}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while True:
            if before_each is not None:
                before_each()
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
                connection.request("GET", target, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                failed = response.status >= 400
            except OSError:
                failed = True
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors[0] += failed
            if time.monotonic() >= deadline:
                return

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    took = time.monotonic() - began
    latencies.sort()
    return Run(
        tool=f"own/{connections}",
        requests_per_second=len(latencies) / took,
        p50_ms=_percentile(latencies, 0.50),
        p99_ms=_percentile(latencies, 0.99),
        requests=len(latencies),
        errors=errors[0],
    )


def measure(
    url: str,
    *,
    cookie: str = "",
    seconds: float,
    connections: int,
    own: bool = False,
    before_each: Callable[[], object] | None = None,
) -> Run:
    """wrk when installed, unless `own` asks for the benchmark's own generator (which can run
    `before_each` between requests)."""
    if not own and before_each is None and shutil.which("wrk"):
        return run_wrk(url, cookie=cookie, seconds=seconds, connections=connections)
    return run_load(url, cookie=cookie, seconds=seconds, connections=connections, before_each=before_each)


def redis_delete(redis_url: str, key: str) -> None:
    """DEL one key, in Redis's own protocol (the parent loads no client library)."""
    parts = urlsplit(redis_url)
    database = (parts.path or "/0").lstrip("/") or "0"
    command = b""
    for words in (["SELECT", database], ["DEL", key]):
        command += f"*{len(words)}\r\n".encode() + b"".join(
            f"${len(word.encode())}\r\n".encode() + word.encode() + b"\r\n" for word in words
        )
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=5) as sock:
        sock.sendall(command)
        replies = b""
        while replies.count(b"\r\n") < 2:
            replies += sock.recv(1024)
    if replies.startswith(b"-"):
        raise RuntimeError(f"Redis refused: {replies!r}")
