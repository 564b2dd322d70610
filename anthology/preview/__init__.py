"""`anthology preview`: a local page that shows the book while its styles are being designed,
rebuilt through the same pipeline as `anthology build` whenever a file it depends on is saved.

`watch.py` knows which files a rebuild depends on and what a change to each needs; `session.py`
rebuilds and publishes; `server.py` serves the page (templates/preview.html, filled by `page.py`),
the PDF, its page images and the EPUB's documents on 127.0.0.1.
"""

from .server import DEFAULT_PORT, HOST, PreviewServer, serve, stop
from .session import Preview

__all__ = ["DEFAULT_PORT", "HOST", "Preview", "PreviewServer", "serve", "stop"]
