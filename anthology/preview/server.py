"""The preview's HTTP server on 127.0.0.1: the page, its status (long polling), the PDF, page images,
the EPUB's documents and the files they link to; it only reads what the session publishes."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..confine import inside
from ..load.styles import DEFAULT_STYLES
from .page import page
from .session import Preview

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
LONG_POLL_SECONDS = 20  # /status?since=N answers at once on news, else after this long


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, preview: Preview, port: int):
        self.preview = preview
        super().__init__((HOST, port), _Handler)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"


def serve(root: Path, port: int = 0, only: str | None = None, images: bool = True, log=None) -> PreviewServer:
    """Start the watcher and the server in background threads; stop with `stop(server)`."""
    preview = Preview(root, only, images=images, log=log)
    server = PreviewServer(preview, port)
    preview.start()
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="anthology-preview-http",
                     daemon=True).start()
    return server


def stop(server: PreviewServer) -> None:
    server.preview.stop()
    server.shutdown()
    server.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "anthology-preview"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args) -> None:  # the terminal shows builds, not requests
        pass

    def do_GET(self) -> None:
        if not self._from_this_machine():
            return self._send(403, "text/plain; charset=utf-8", b"the preview answers only http://localhost\n")
        preview = self.server.preview
        url = urlsplit(self.path)
        path = unquote(url.path)
        query = parse_qs(url.query)
        if path == "/":
            status, output = preview.snapshot()
            return self._send(200, "text/html; charset=utf-8", page(preview, status, output).encode())
        if path == "/status":
            since = query.get("since", [None])[0]
            if since is not None and not re.fullmatch(r"-?[0-9]{1,18}", since):  # ASCII digits: int() takes '²' too
                return self._send(400, "text/plain; charset=utf-8", b"since must be a version number\n")
            status, _ = preview.snapshot(int(since) if since is not None else None, LONG_POLL_SECONDS)
            return self._send(200, "application/json", json.dumps(status, ensure_ascii=False).encode())
        if path == "/view":  # the page the browser shows, laid out first after the next change
            number = query.get("page", [""])[0]
            if not re.fullmatch(r"[0-9]{1,6}", number):  # ASCII digits: int() takes '²' too
                return self._send(400, "text/plain; charset=utf-8", b"page must be a page number\n")
            preview.on_view = max(1, int(number))
            return self._send(204, "text/plain; charset=utf-8", b"")
        _, output = preview.snapshot()
        if output is None:
            return self._send(404, "text/plain; charset=utf-8", b"no preview yet\n")
        if path == "/preview.pdf":
            return self._send(200, "application/pdf", output.pdf)
        match = re.fullmatch(r"/pages/(\d+)\.jpg", path)
        if match:
            number = int(match.group(1))
            image = output.pages.get(number) if output.pages else None  # made now if not yet
            if image is not None:
                return self._send(200, "image/jpeg", image)
        if path.startswith("/epub/"):
            name = path[len("/epub/"):]
            for file_name, _, xhtml in output.epub_docs:
                if file_name == name:
                    return self._send(200, "application/xhtml+xml; charset=utf-8", xhtml.encode())
            file = output.epub_files.get(name)
            file = inside(file, [preview.root, DEFAULT_STYLES]) if file is not None else None
            if file is not None and file.is_file():
                return self._send(200, _content_type(file), file.read_bytes())
        return self._send(404, "text/plain; charset=utf-8", b"not found\n")

    def _from_this_machine(self) -> bool:
        """Whether the request names this machine as its host: a page on another site whose name
        was made to resolve to 127.0.0.1 (DNS rebinding) sends its own name, and is refused."""
        port = self.server.server_address[1]
        names = ("localhost", "127.0.0.1", "[::1]")
        allowed = {f"{name}:{port}" for name in names} | (set(names) if port == 80 else set())
        return self.headers.get("Host", "").strip().lower() in allowed

    def _send(self, code: int, content_type: str, body: bytes) -> None:
        try:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away (a reload): nothing to answer


def _content_type(path: Path) -> str:
    return {".css": "text/css; charset=utf-8", ".ttf": "font/ttf", ".otf": "font/otf", ".woff": "font/woff",
            ".woff2": "font/woff2", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
            ".gif": "image/gif", ".svg": "image/svg+xml"}.get(path.suffix.lower(), "application/octet-stream")
