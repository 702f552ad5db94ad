"""The submission bundle ("the CD" of report 4.2): ``reports/<year>/bundle/`` and a zip of it,
with an offline Thai ``index.html`` linking every PDF, form and deck, a validation summary
(shown in the bundled Sarabun: a browser without a Thai font shows Thai, not boxes),
and ``manifest.json`` (path, sha256, bytes of every file). Checks that it fits a 700 MB CD and
that every name survives Windows."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

from mchch_lib import config
from mchch_lib.common.atomic import atomic_path, naming_disk_full, sha256_file, write_text
from mchch_lib.common.keys import windows_forbidden

CD_BYTES = 700 * 1024 * 1024
_COMPRESSED = {".pdf", ".xlsx", ".pptx", ".zip", ".png"}
MAX_PATH = 240
_WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def windows_problems(relpath: str) -> list[str]:
    """Why a relative path would fail on Windows (empty list when it is fine)."""
    out = []
    if len(relpath) > MAX_PATH:
        out.append(f"path longer than {MAX_PATH} characters")
    for part in relpath.split("/"):
        if windows_forbidden(part):
            out.append(f"forbidden character in {part!r}")
        if part.split(".")[0].upper() in _WINDOWS_RESERVED:
            out.append(f"reserved name {part!r}")
        if part != part.rstrip(" ."):
            out.append(f"name ends with a space or dot: {part!r}")
    return out


def manifest(root: Path) -> dict:
    """``{"files": [{"path", "sha256", "bytes"}, ...]}`` for every file under root but the
    manifest itself, in path order."""
    files = []
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.name != "manifest.json":
            files.append(
                {
                    "path": p.relative_to(root).as_posix(),
                    "sha256": sha256_file(p),
                    "bytes": p.stat().st_size,
                }
            )
    return {"files": files}


def verify(root: Path) -> list[str]:
    """Problems found re-hashing a bundle against its manifest (empty when it verifies)."""
    m = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    out = []
    listed = set()
    for f in m["files"]:
        p = root / f["path"]
        listed.add(f["path"])
        if not p.exists():
            out.append(f"missing: {f['path']}")
        elif p.stat().st_size != f["bytes"] or sha256_file(p) != f["sha256"]:
            out.append(f"changed: {f['path']}")
    for p in root.rglob("*"):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and p.name != "manifest.json" and rel not in listed:
            out.append(f"not in manifest: {rel}")
    return out


#: The index page's own font (the reports' Sarabun, SIL OFL): a browser on a PC without a Thai
#: font shows the page in it rather than boxes. Copied into the bundle's fonts/ folder.
FONTS = ("Sarabun-Regular.ttf", "Sarabun-Bold.ttf", "OFL.txt")


def _index_html(title: str, sections: dict[str, list[tuple[str, str]]], summary_html: str) -> str:
    """The index page (``templates/bundle/index.html.j2``): every section with files, linked.
    ``summary_html`` is markup made through the templating environment (``summary_html``)."""
    from mchch_lib.documents import templating

    return templating.render_document(
        "bundle/index.html.j2",
        title=title,
        sections=sections,
        summary_html=templating.Markup(summary_html),
    )


def summary_html(office_th: str, ds) -> str:
    """The validation summary of the index page (``templates/bundle/summary.html.j2``): the
    inputs, applicants, errors and warnings, and per sheet the reconciliation's rows."""
    from mchch_lib.data.contract import SHEETS
    from mchch_lib.documents import templating

    cols = ["rows_read", "clean", "rejected", "merged"]
    rec = ds.reconciliation.reindex(columns=["table", *cols], fill_value=0)
    rows = [
        (SHEETS[t].th if t in SHEETS else t, r.rows_read, r.clean, r.rejected, r.merged)
        for t, r in rec.groupby("table")[cols].sum().iterrows()
    ]
    return templating.render_document(
        "bundle/summary.html.j2",
        office_th=office_th,
        n_files=len(ds.files),
        n_applicants=len(ds.applicants),
        n_errors=int((ds.problems["severity"] == "error").sum()),
        n_warnings=int((ds.problems["severity"] == "warning").sum()),
        input_hash=ds.input_hash[:16],
        rows=rows,
    )


def contents_key(
    title: str,
    groups: dict[str, list[tuple[Path, str]]],
    summary_html: str,
    extra_files: dict[str, bytes] | None = None,
) -> str:
    """What a bundle holds, as one hash: every source file's content and label, the index
    text, the extra files. Equal keys mean an equal bundle, so it is not made again."""
    import hashlib

    h = hashlib.sha256()
    for part in (title, summary_html):
        h.update(part.encode() + b"\0")
    for head, files in groups.items():
        h.update(head.encode() + b"\0")
        for src, label in files:
            digest = sha256_file(src) if src.exists() else "-"
            h.update(f"{src.name}\0{label}\0{digest}\0".encode())
    for name, data in sorted((extra_files or {}).items()):
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    for name in FONTS:
        h.update(f"fonts/{name}\0{sha256_file(config.FONTS_DIR / name)}\0".encode())
    return h.hexdigest()


def _rel(src: Path, out_dir: Path) -> str:
    """Where a source file goes in the bundle."""
    return f"{src.parent.name}/{src.name}" if src.parent != out_dir else src.name


def must_hold(out_dir: Path, groups, extra_files=None) -> dict[str, str | None]:
    """What the bundle must contain: bundle path -> sha256 of its source (None: the source
    is missing, so no bundle can be complete)."""
    import hashlib

    want: dict[str, str | None] = {}
    for files in groups.values():
        for src, _ in files:
            want[_rel(src, out_dir)] = sha256_file(src) if src.exists() else None
    for name in FONTS:
        want[f"fonts/{name}"] = sha256_file(config.FONTS_DIR / name)
    for name, data in (extra_files or {}).items():
        want[name] = hashlib.sha256(data).hexdigest()
    return want


def missing_from(folder: Path, want: dict[str, str | None]) -> list[str]:
    """What the bundle folder lacks of ``want`` (absent, or another content), per its
    manifest (which ``verify`` checks against the files)."""
    try:
        m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return sorted(want)
    held = {f["path"]: f["sha256"] for f in m["files"]}
    lacking = [p for p, h in want.items() if h is None or held.get(p) != h]
    return sorted(lacking + ([] if "index.html" in held else ["index.html"]))


def _current(out_dir: Path, key: str, want: dict[str, str | None]) -> dict | None:
    """The report of the bundle already there when it holds exactly ``key``, both the folder
    and the zip are intact and it holds every file it must (an incomplete CD is never up to
    date); None when it must be made (again)."""
    try:
        prev = json.loads((out_dir / "bundle.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    zpath, folder = out_dir / "bundle.zip", out_dir / "bundle"
    if prev.get("key") != key or not zpath.exists() or not (folder / "manifest.json").exists():
        return None
    if sha256_file(zpath) != prev.get("zip_sha256") or verify(folder):
        return None
    if missing_from(folder, want):
        return None
    with zipfile.ZipFile(zpath) as z:
        if set(z.namelist()) != set(_listing(folder)):
            return None
    return {**prev, "rebuilt": False}


def _listing(folder: Path) -> list[str]:
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


def build(
    out_dir: Path,
    title: str,
    groups: dict[str, list[tuple[Path, str]]],
    summary_html: str,
    extra_files: dict[str, bytes] | None = None,
) -> dict:
    """Copy the files into ``out_dir/bundle`` (fresh), write index.html, manifest.json, and a
    zip beside it; unless the bundle there already holds exactly these files (same contents
    key, folder and zip intact). ``groups``: section title -> [(file, label)]. Returns a
    report dict (``rebuilt`` says whether it was made)."""
    key = contents_key(title, groups, summary_html, extra_files)
    want = must_hold(out_dir, groups, extra_files)
    current = _current(out_dir, key, want)
    if current is not None:
        return current
    m = _stage(out_dir, title, groups, summary_html, extra_files)
    bundle = out_dir / "bundle"
    total = sum(f["bytes"] for f in m["files"])
    zpath = out_dir / "bundle.zip"
    with atomic_path(zpath) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for p in sorted(bundle.rglob("*")):
                if p.is_file():
                    # PDFs and Office files are compressed already: stored, not deflated again
                    how = zipfile.ZIP_STORED if p.suffix in _COMPRESSED else zipfile.ZIP_DEFLATED
                    z.write(p, p.relative_to(bundle).as_posix(), compress_type=how)
    names = [f["path"] for f in m["files"]] + ["index.html", "manifest.json"]
    bad = {n: windows_problems(n) for n in names if windows_problems(n)}
    report = {
        "key": key,
        "files": len(m["files"]),
        "bytes": total,
        "zip_bytes": zpath.stat().st_size,
        "zip_sha256": sha256_file(zpath),
        "fits_cd": total <= CD_BYTES,
        "windows_problems": bad,
        # sources that were not there to copy: the CD is incomplete (never up to date)
        "missing": missing_from(bundle, want),
    }
    write_text(out_dir / "bundle.json", json.dumps(report, ensure_ascii=False, indent=1))
    return {**report, "rebuilt": True}


def _stage(out_dir, title, groups, summary_html, extra_files) -> dict:
    """The bundle folder made in a staging folder and swapped in whole; its manifest."""
    bundle = out_dir / "bundle"
    staging = out_dir / ".bundle.part"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    try:
        with naming_disk_full(staging):
            m = _fill(staging, out_dir, title, groups, summary_html, extra_files)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)  # a half bundle never stays behind
        raise
    if bundle.exists():
        shutil.rmtree(bundle)
    os.replace(staging, bundle)
    return m


def _fill(staging, out_dir, title, groups, summary_html, extra_files) -> dict:
    """Copy every file of the bundle into ``staging``; write its index and manifest."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for head, files in groups.items():
        sections[head] = []
        for src, label in files:
            if not src.exists():
                continue
            rel = _rel(src, out_dir)
            dst = staging / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
            sections[head].append((rel, label))
    (staging / "fonts").mkdir()
    for name in FONTS:
        shutil.copy2(config.FONTS_DIR / name, staging / "fonts" / name)
    for name, data in (extra_files or {}).items():
        (staging / name).write_bytes(data)
        sections.setdefault("ข้อมูลประกอบ", []).append((name, name))
    (staging / "index.html").write_text(
        _index_html(title, sections, summary_html), encoding="utf-8"
    )
    m = manifest(staging)
    (staging / "manifest.json").write_text(
        json.dumps(m, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return m
