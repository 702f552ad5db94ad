"""Atomic output: write to a temporary file beside the target, then rename over it, so a crash
never leaves a half-written file under a final name."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mchch_lib.errors import DiskFullError

#: The errors of a full disk, a full quota and the file-size limit (``ulimit -f``).
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def disk_full(e: OSError, path: str | Path) -> DiskFullError | None:
    """The Thai and English error naming ``path`` when ``e`` says the disk is full; else None."""
    if e.errno not in _FULL:
        return None
    return DiskFullError(
        f"{path}: เขียนไฟล์ไม่ได้ พื้นที่ดิสก์เต็ม (หรือเกินโควตา/ขนาดไฟล์ที่อนุญาต: {e.strerror}) "
        f"ให้เพิ่มพื้นที่แล้วรันใหม่ / cannot write the file: the disk is full (or the quota or "
        f"file-size limit is reached: {e.strerror}); free some space and run again"
    )


@contextlib.contextmanager
def naming_disk_full(path: str | Path) -> Iterator[None]:
    """A full disk met inside the block raises ``DiskFullError`` naming ``path``."""
    try:
        yield
    except OSError as e:
        full = disk_full(e, path)
        if full is None:
            raise
        raise full from e


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
        with naming_disk_full(target):
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


#: The temporary folder a process's PDF fonts are copied into (``render._font_config``) is
#: named with this prefix, the process id and a random part, so one a killed process left can
#: be told apart (by its process id) and is never taken for this process's own.
FONT_FOLDER_PREFIX = "mchch-fonts-"

_FONT_FOLDERS: dict[int, Path] = {}  # process id -> its folder (a forked child makes its own)


def font_folder() -> Path:
    """This process's folder for the fonts WeasyPrint copies from a document's @font-face: new
    and empty when the process first asks. Never one a process of the same id left (ids are
    reused): WeasyPrint skips registering a font whose file is already in the folder, so a
    stale copy would silently typeset the reports in a fallback font."""
    pid = os.getpid()
    folder = _FONT_FOLDERS.get(pid)
    if folder is None or not folder.is_dir():
        folder = Path(tempfile.mkdtemp(prefix=f"{FONT_FOLDER_PREFIX}{pid}-"))
        _FONT_FOLDERS[pid] = folder
    return folder


def _folder_pid(name: str) -> int | None:
    """The process id in a font folder's name (``mchch-fonts-<pid>-<random>``, or the older
    ``mchch-fonts-<pid>``); None for a name that is not one."""
    pid = name[len(FONT_FOLDER_PREFIX) :].split("-", 1)[0]
    return int(pid) if pid.isdigit() else None


def remove_stale_font_folders() -> list[Path]:
    """Remove the font folders of processes that are gone (a run killed with SIGKILL cannot
    remove its own). Called when a run starts."""
    import shutil

    removed = []
    for p in Path(tempfile.gettempdir()).glob(f"{FONT_FOLDER_PREFIX}*"):
        pid = _folder_pid(p.name)
        if pid is not None and not _alive(pid):
            shutil.rmtree(p, ignore_errors=True)
            removed.append(p)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
