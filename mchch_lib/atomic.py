"""Atomic output: write to a temporary file beside the target, then rename over it, so a crash
never leaves a half-written file under a final name."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; on success it replaces ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # ".part" marks it unfinished; the real suffix stays last for tools that check it
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f".part{target.suffix}", dir=target.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, 0o644)  # mkstemp makes 0600; outputs are for people to read
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes(target: str | Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text(target: str | Path, text: str) -> None:
    write_bytes(target, text.encode("utf-8"))


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def remove_partials(root: str | Path) -> list[Path]:
    """Remove what a killed run left under ``root``: ``.*.part*`` files of ``atomic_path`` and
    ``.*.part`` staging folders. Called when a run starts (one run per output folder)."""
    import shutil

    root = Path(root)
    removed = []
    if not root.exists():
        return removed
    for p in sorted(root.rglob(".*.part*"), key=lambda q: len(q.parts), reverse=True):
        if not p.exists():
            continue  # inside a folder removed before it
        if p.is_dir():
            shutil.rmtree(p)
        else:
            p.unlink()
        removed.append(p)
    return removed
