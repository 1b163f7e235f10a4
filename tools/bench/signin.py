"""Signing in as a browser would (the login page, then the TOTP step), and fetching a page."""

import base64
import hashlib
import hmac
import http.client
import re
import struct
import time
from http.cookiejar import CookieJar
from urllib.parse import urlencode, urlsplit
from urllib.request import HTTPCookieProcessor, Request, build_opener

# --- signing in ----------------------------------------------------------------------------------


def totp_code(secret: str, at: float | None = None) -> str:
    """The current six-digit code of an authenticator app (RFC 6238: SHA-1, 30 seconds)."""
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", int(at or time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


def _csrf_token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise RuntimeError("the page has no form with a CSRF token")
    return found.group(1)


def sign_in(base_url: str, *, email: str, password: str, totp_secret: str = "") -> str:
    """Sign in through the login page (and the code step when the account has an authenticator),
    as a browser would; returns the session's Cookie header."""
    jar = CookieJar()
    opener = build_opener(HTTPCookieProcessor(jar))

    def post(path: str, page: str, fields: dict[str, str]) -> tuple[str, str]:
        data = urlencode({"csrfmiddlewaretoken": _csrf_token(page), **fields}).encode()
        request = Request(base_url + path, data=data, headers={"Referer": base_url + path})  # noqa: S310 -- http only
        with opener.open(request, timeout=60) as r:
            return urlsplit(r.url).path, r.read().decode()

    with opener.open(base_url + "/accounts/login/", timeout=60) as response:
        page = response.read().decode()
    landed, page = post("/accounts/login/", page, {"login": email, "password": password})
    if landed == "/accounts/2fa/authenticate/":
        if not totp_secret:
            raise RuntimeError(f"{email} is asked for a code and the benchmark has no secret for it")
        for _attempt in range(3):
            code_page = page
            landed, page = post(landed, code_page, {"code": totp_code(totp_secret)})
            if landed != "/accounts/2fa/authenticate/":
                break
            # A code is used once: one used by an earlier run is refused until the next one comes.
            time.sleep(31 - time.time() % 30)
            landed = "/accounts/2fa/authenticate/"
    if landed != "/dashboard/":
        raise RuntimeError(f"signing in as {email} ended at {landed}, not at the dashboard")
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def fetch(url: str, cookie: str = "") -> tuple[int, str]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers={"Cookie": cookie})
    response = connection.getresponse()
    body = response.read().decode(errors="replace")
    connection.close()
    return response.status, body
