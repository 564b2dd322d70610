"""The preview's page (templates/preview.html), filled from what the session last published."""

from __future__ import annotations

import json

from ..assemble.templates import environment
from .session import Output, Preview


def page(preview: Preview, status: dict, output: Output | None) -> str:
    """The preview page: state, problems, the proof's faults, the PDF's pages and the EPUB side by side."""
    documents = [(name, title) for name, title, _ in output.epub_docs] if output is not None else []
    return environment().get_template("preview.html").render(
        title=preview.title, only=preview.only, generation=status["generation"], version=status["version"],
        status_json=json.dumps(status, ensure_ascii=False).replace("</", "<\\/"), problems=status["problems"],
        warnings=status["warnings"], has_output=output is not None,
        page_images=len(output.pages) if output is not None and output.pages else 0,
        image_size=output.pages.size() if output is not None and output.pages else (0, 0),
        documents=documents, first_document=output.first_article if output is not None else None,
        findings=output.findings if output is not None else [])

