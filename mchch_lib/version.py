"""The package's version (one place; the code version of caches also hashes every file)."""

__version__ = "0.1.0"
