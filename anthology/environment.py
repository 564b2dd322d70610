"""A process environment variable set for the length of a `with` block, then put back."""

from __future__ import annotations

import contextlib
import os


@contextlib.contextmanager
def variable(name: str, value: str):
    previous = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if previous is None:
            del os.environ[name]
        else:
            os.environ[name] = previous
