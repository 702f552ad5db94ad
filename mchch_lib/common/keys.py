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
# Invisible in a file name, yet they make two names differ or (bidirectional controls, e.g.
# U+202E RIGHT-TO-LEFT OVERRIDE) show a name reversed: "รายงาน\u202efdp.exe" reads as "...exe.pdf".
# Zero-width spaces and joiners, word joiner, BOM, soft hyphen, LRM/RLM, the embeddings and
# overrides (U+202A-U+202E) and the isolates (U+2066-U+2069).
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad\u202a-\u202e\u2066-\u2069]")
# "/home/...", "C:\\...", "C:/...", "\\\\server\\share"
_ABSOLUTE = re.compile(r"^(/|[A-Za-z]:[\\/]|\\\\)")


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
    """A file name part that survives Windows (no <>:"/\\|?* or control characters) and reads
    as it is (no zero-width or bidirectional control characters)."""
    text = _WINDOWS_FORBIDDEN.sub("_", _INVISIBLE.sub("", text)).strip(" .")
    return re.sub(r"\s+", "_", text)


def cut_name(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, never inside a character cluster: at the
    last Thai word boundary that fits (pythainlp ``newmm``: "…บ้านโคก", not "…บ้านโคกสว่"),
    else at the last Thai character cluster (``tcc``: a consonant with its vowels and tone
    marks, sara am included) that fits; the trailing "_", space or dot of a cut dropped."""
    if len(text) <= limit:
        return text
    from pythainlp.tokenize import subword_tokenize, word_tokenize

    def last_fit(pieces: list[str]) -> int:
        end = best = 0
        for piece in pieces:
            end += len(piece)
            if end > limit:
                break
            best = end
        return best

    cut = last_fit(word_tokenize(text, engine="newmm", keep_whitespace=True))
    if cut < limit // 2:  # one long word: its clusters rather than half the name lost
        cut = max(cut, last_fit(subword_tokenize(text, engine="tcc")))
    while 0 < cut < len(text) and not _cluster_boundary(text, cut):
        cut -= 1  # what a tokenizer may leave: a mark with no base, a stray sara am
    return text[:cut].rstrip("_ .") or text[:cut]


def _cluster_boundary(text: str, i: int) -> bool:
    """True when a cut before ``text[i]`` keeps every cluster whole: ``text[i]`` is no
    combining mark and no sara am (ำ, a spacing mark of the cluster before it)."""
    import unicodedata

    return unicodedata.category(text[i]) not in ("Mn", "Mc", "Me") and text[i] != "\u0e33"


def unit_stem(code: int, name_th: str) -> str:
    """File stem of a district's outputs: ``6007_ตาคลี``."""
    return f"{code}_{safe_name(name_th)}"


def is_absolute_path(text: object) -> bool:
    """True for text that is an absolute path, POSIX or Windows (``/home/a``, ``C:\\a``)."""
    return isinstance(text, str) and bool(_ABSOLUTE.match(text.strip()))


def portable_path(path: object, base: object = None) -> str:
    """A path as an output may show it: relative to ``base`` (a folder) when inside it, else its
    file name. No output names a folder of the machine that made it (what a reader of a PDF or
    a CD should not learn, and what is wrong on every other machine)."""
    from pathlib import Path, PureWindowsPath

    text = str(path)
    if not is_absolute_path(text):
        return text
    if base is not None:
        try:
            return Path(text).resolve().relative_to(Path(str(base)).resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return PureWindowsPath(text).name if "\\" in text else Path(text).name


def portable(value: object, base: object = None) -> object:
    """A JSON-like value (dicts, lists, text) with every absolute path made portable
    (:func:`portable_path`); any other value unchanged."""
    if isinstance(value, dict):
        return {k: portable(v, base) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [portable(v, base) for v in value]
    return portable_path(value, base) if is_absolute_path(value) else value


def portable_notebook(nb):
    """An executed notebook as it is kept beside the reports: the parameters injected into it
    (``metadata.papermill.parameters`` and the cell tagged ``injected-parameters``) with their
    absolute paths made portable, relative to the params file's folder (changed in place;
    returned). The run itself used the absolute paths."""
    from pathlib import Path

    pm = nb.get("metadata", {}).get("papermill", {})
    given = dict(pm.get("parameters") or {})
    params_file = given.get("params_file")
    base = Path(params_file).parent if is_absolute_path(params_file) else None
    shown = portable(given, base)
    if shown == given:
        return nb
    pm["parameters"] = shown
    for cell in nb.get("cells", []):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            src = cell["source"]
            for k, v in given.items():
                if shown[k] != v:
                    src = src.replace(f"{k} = {v!r}", f"{k} = {shown[k]!r}")
            cell["source"] = src
    return nb
