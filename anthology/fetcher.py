"""The one resource fetcher every render uses: local files inside the allowed folders, nothing else.

No network, ever: http, https, ftp and the rest are refused and reported, never fetched.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from . import fonts  # noqa: F401  (before WeasyPrint: see fonts.py)

from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402


class LocalFetcher(URLFetcher):
    """Serves `file:` URLs inside `roots` (symlinks resolved) and `data:` URLs; refuses the rest."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = [root.resolve() for root in roots]
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        path = self.local_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused: {url} (only files inside the project folder are read)")
        content_type, _ = mimetypes.guess_type(path.name)
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": content_type or "application/octet-stream"})

    def local_path(self, url: str) -> Path | None:
        """The file a `file:` URL names, when it lies inside an allowed folder."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        if not path.is_file() or not any(path.is_relative_to(root) for root in self.roots):
            return None
        return path
