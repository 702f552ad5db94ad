"""How outputs are named and keyed: the code version written into every output and run record,
content hashes, and Windows-safe file names. A leaf module: it imports nothing of mchch but the
package version and paths, so every layer may use it."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from mchch_lib import config
from mchch_lib.version import __version__

_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


@lru_cache(maxsize=1)
def code_version() -> str:
    """The code version (รุ่นโปรแกรม): package version + a hash of every file of the package
    (code, templates, fonts, rules). The one code hash: it keys the data cache, every report and
    the run record, and is written into each PDF."""
    h = hashlib.sha256(__version__.encode())
    for p in sorted(config.PACKAGE_DIR.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc"):
            h.update(p.relative_to(config.PACKAGE_DIR).as_posix().encode())
            h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


def content_hash(*parts: str) -> str:
    """sha256 of text parts, each delimited (so ("ab", "c") and ("a", "bc") differ)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\0")
    return h.hexdigest()


def windows_forbidden(part: str) -> bool:
    """True when a file name part holds a character Windows refuses."""
    return bool(_WINDOWS_FORBIDDEN.search(part))


def safe_name(text: str) -> str:
    """A file name part that survives Windows (no <>:"/\\|?* or control characters)."""
    text = _WINDOWS_FORBIDDEN.sub("_", text).strip(" .")
    return re.sub(r"\s+", "_", text)


def unit_stem(code: int, name_th: str) -> str:
    """File stem of a district's outputs: ``6007_ตาคลี``."""
    return f"{code}_{safe_name(name_th)}"
