"""The one resource fetcher every render uses: local files inside the allowed folders, nothing else.

No network, ever: http, https, ftp and the rest are refused and reported, never fetched.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..confine import inside
from . import fonts  # noqa: F401  (before WeasyPrint: see fonts.py)

from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402


class LocalFetcher(URLFetcher):
    """Serves `file:` URLs inside `roots` (symlinks resolved) and `data:` URLs; refuses the rest.

    The renderer is given each root's files under a virtual URL (`url_of`), the same on every
    machine: WeasyPrint names an image in the PDF by a hash of its URL, so a real path would make
    the bytes depend on where the volume was checked out."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = [root.resolve() for root in roots]
        self.virtual = {f"/anthology/{number}/": root for number, root in enumerate(self.roots)}
        self.refused: list[str] = []

    def url_of(self, path: Path) -> str:
        """The virtual URL of a file (or folder, with a trailing slash) inside one of the roots."""
        resolved = inside(path, self.roots)
        for prefix, root in self.virtual.items():
            if resolved is not None and resolved.is_relative_to(root):
                relative = resolved.relative_to(root).as_posix()
                return "file://" + prefix + quote("" if relative == "." else relative)
        raise ValueError(f"{path} is outside the folders this build may read")

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
        path = Path(unquote(parts.path))
        for prefix, root in self.virtual.items():
            if parts.path.startswith(prefix):
                path = root / unquote(parts.path[len(prefix):])
                break
        path = inside(path, self.roots)
        return path if path is not None and path.is_file() else None
