"""anthology: compile a multilingual edited volume into a print PDF and an EPUB 3."""

__version__ = "0.1.0"
