"""A raw HTTP client for races over real HTTP: each instance is one browser tab with its own cookie
jar (or a copy of another's), and it reports redirects instead of following them."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # report the 303 itself


class Client:
    def __init__(self, base: str, cookies: http.cookiejar.CookieJar | None = None):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        for cookie in cookies or []:
            self.cookies.set_cookie(cookie)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def upload(self, path: str, fields: dict, filename: str, data: bytes) -> int:
        """POST a multipart form with one file (field ``file``), as a browser sends it."""
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        body = (
            "".join(parts).encode()
            + (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
        )
        body += data + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        try:
            with self.opener.open(request, timeout=600) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def form_fields(self, path: str) -> dict[str, str]:
        """The CSRF token (and the page's item version, if any) of the form at ``path``."""
        status, html = self.request(path)
        assert status == 200, status
        fields = {"csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)}
        version = re.search(r'name="version" value="(\d+)"', html)
        return {**fields, **({"version": version.group(1)} if version else {})}
