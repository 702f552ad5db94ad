"""Run parameters (``params/<year>.yaml``), checked against a JSON schema before any run.

An unknown or misspelt key is an error, never a warning: a typo such as ``thai_digit`` would
otherwise be silently ignored and the report made with the default.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from mchch_lib import config
from mchch_lib.common import sanitize as safety
from mchch_lib.data.ingest import DEFAULT_LIMITS, ReadLimits
from mchch_lib.errors import ParamsError

_DATE = {"type": "string", "minLength": 6}

DEFAULT_CELL_TIMEOUT_S = 600

SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    # the scope: ``province_code`` (one province, as always) or ``provinces`` (a list of
    # province codes or "all": the national run); exactly one of the two (checked on load)
    "required": ["year", "inputs", "catalog", "deadlines"],
    "properties": {
        "year": {
            "type": "integer",
            "minimum": 2500,
            "maximum": 2700,
            "description": "Buddhist-Era year of the round, e.g. 2561",
        },
        "province_code": {"type": "integer", "minimum": 10, "maximum": 99},
        "provinces": {
            "description": "a national run: these province codes, or all (every province)",
            "oneOf": [
                {"const": "all"},
                {
                    "type": "array",
                    "items": {"type": "integer", "minimum": 10, "maximum": 99},
                    "minItems": 1,
                    "uniqueItems": True,
                },
            ],
        },
        "office_th": {"type": "string"},
        "inputs": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "catalog": {"type": "string"},
        "deadlines": {
            "type": "object",
            "additionalProperties": False,
            "required": ["report_41", "report_42"],
            "properties": {"report_41": _DATE, "report_42": _DATE},
        },
        "output": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "dir": {"type": "string"},
                "thai_digits": {"type": "boolean"},
                "keep_html": {"type": "boolean"},
                "forms": {"type": "boolean"},
                "deck": {"type": "boolean"},
                "bundle": {"type": "boolean"},
                "cell_timeout_s": {"type": "integer", "minimum": 1},
            },
        },
        "compare_with": {
            "type": "array",
            "items": {"type": "string"},
            "description": "params files of earlier years to compare this year with",
        },
        "limits": {
            "type": "object",
            "additionalProperties": False,
            "description": "resource limits checked before a file is read",
            "properties": {
                "max_file_mb": {"type": "number", "exclusiveMinimum": 0},
                "max_uncompressed_mb": {"type": "number", "exclusiveMinimum": 0},
                "max_rows": {"type": "integer", "minimum": 1},
                "max_columns": {"type": "integer", "minimum": 1},
            },
        },
    },
}


@dataclass(frozen=True)
class Params:
    """Checked run parameters with paths resolved against the project root."""

    path: Path | None
    raw: dict
    year: int
    province_code: int | None  # None in a national run (``provinces``)
    office_th: str
    inputs: tuple[Path, ...]
    catalog: Path
    deadline_41: dt.date
    deadline_42: dt.date
    output_dir: Path
    thai_digits: bool
    keep_html: bool
    forms: bool
    deck: bool
    bundle: bool
    cell_timeout_s: int = DEFAULT_CELL_TIMEOUT_S  # a cell running longer fails its report
    limits: ReadLimits = DEFAULT_LIMITS  # checked before any input file is parsed
    compare_with: tuple[Path, ...] = ()  # params files of earlier years (mchch_lib.analysis.years)
    provinces: tuple[int, ...] = ()  # a national run's provinces (params ``provinces``)

    @property
    def is_national(self) -> bool:
        """A run over several provinces (``provinces``), each in its own folder."""
        return bool(self.provinces)

    @property
    def digest(self) -> str:
        """Hash of the parameters as given (key order independent)."""
        return hashlib.sha256(
            json.dumps(self.raw, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()


def check(raw: object, source: str = "<params>") -> None:
    """Raise ParamsError listing every schema violation (unknown keys included)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        lines = []
        for e in errors:
            where = ".".join(str(p) for p in e.absolute_path) or "(top level)"
            lines.append(f"  {where}: {e.message}")
        raise ParamsError(f"{source}: พารามิเตอร์ไม่ถูกต้อง / invalid parameters:\n" + "\n".join(lines))


def load_params(
    path: str | Path, overrides: dict | None = None, root: Path | None = None
) -> Params:
    """Read, check and resolve a params file (e.g. ``params/2561.yaml``, the sample's)."""
    path = _find(Path(path))
    if not path.exists():
        raise ParamsError(f"{path}: ไม่พบไฟล์พารามิเตอร์ / params file not found")
    try:
        raw = safety.load_yaml(path) or {}
    except safety.YamlTooLarge as e:
        raise ParamsError(f"{path}: {e}") from e
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise ParamsError(
            f"{path}: อ่านไฟล์ YAML ไม่ได้ / not valid YAML: {str(e).splitlines()[0]}"
        ) from e
    if not isinstance(raw, dict):
        raise ParamsError(
            f"{path}: ต้องเป็นรายการ key: value (เช่น year: 2561) ไม่ใช่ {type(raw).__name__} / "
            f"the top level must be a mapping of keys to values, not a {type(raw).__name__}"
        )
    raw = _merge(raw, overrides or {})
    check(raw, str(path))
    return _from_raw(raw, path, root if root is not None else _root_of(path))


def _from_raw(raw: dict, path: Path | None, base: Path) -> Params:
    """Params from a checked mapping; relative paths resolved against ``base``."""
    from mchch_lib.common import thai

    scope = _scope(raw, path)

    def res(p: str) -> Path:
        q = Path(p)
        return q if q.is_absolute() else (base / q)

    dl = {}
    for k, v in raw["deadlines"].items():
        d = thai.parse_date(v)
        if d is None:
            raise ParamsError(f"{path}: deadlines.{k}: cannot read the date {v!r}")
        dl[k] = d
    out = raw.get("output", {})
    return Params(
        path=path,
        raw=raw,
        year=raw["year"],
        province_code=raw.get("province_code"),
        office_th=raw.get("office_th", ""),
        inputs=tuple(res(p) for p in raw["inputs"]),
        catalog=res(raw["catalog"]),
        deadline_41=dl["report_41"],
        deadline_42=dl["report_42"],
        output_dir=res(out.get("dir", f"reports/{raw['year']}")),
        thai_digits=out.get("thai_digits", False),
        keep_html=out.get("keep_html", True),
        forms=out.get("forms", True),
        deck=out.get("deck", True),
        bundle=out.get("bundle", True),
        cell_timeout_s=out.get("cell_timeout_s", DEFAULT_CELL_TIMEOUT_S),
        limits=ReadLimits(**raw.get("limits", {})),
        compare_with=tuple(_find(res(p)) for p in raw.get("compare_with", [])),
        provinces=scope,
    )


def _scope(raw: dict, path: Path) -> tuple[int, ...]:
    """The provinces of a national run (empty for one province's run), checked: exactly one
    of ``province_code`` and ``provinces``, every code a province of the reference table."""
    from mchch_lib.data.reference import provinces

    has_one, has_many = "province_code" in raw, "provinces" in raw
    if has_one == has_many:
        raise ParamsError(
            f"{path}: ต้องระบุ province_code (จังหวัดเดียว) หรือ provinces (หลายจังหวัดหรือ all) "
            "อย่างใดอย่างหนึ่ง / give exactly one of province_code (one province) and "
            "provinces (a list of province codes, or all)"
        )
    known = provinces()
    codes = [raw["province_code"]] if has_one else raw["provinces"]
    codes = sorted(known) if codes == "all" else codes
    unknown = sorted(set(codes) - set(known))
    if unknown:
        raise ParamsError(
            f"{path}: ไม่มีจังหวัดรหัส {unknown} ในตารางอ้างอิง / no province has code {unknown}"
        )
    if has_many and raw.get("compare_with"):
        raise ParamsError(
            f"{path}: compare_with ใช้กับการประมวลผลจังหวัดเดียว / compare_with is for one "
            "province's run (province_code), not for provinces"
        )
    return () if has_one else tuple(sorted(codes))


def province_params(params: Params, code: int, inputs: list[Path]) -> Params:
    """The params of one province of a national run: what a run of that province alone would
    be given (its own workbooks, its office, its folder ``provinces/<code>_<name>/``). Paths
    are absolute, so the file ``save_derived`` writes reads the same on any worker."""
    from mchch_lib.common.keys import unit_stem
    from mchch_lib.data.reference import provinces

    info = provinces()[code]
    out = params.output_dir / "provinces" / unit_stem(code, info.name_th)
    raw = {k: v for k, v in params.raw.items() if k != "provinces"}
    raw |= {
        "province_code": code,
        "office_th": f"สำนักงานพัฒนาชุมชน{info.place_th}",
        "inputs": [str(Path(p).resolve()) for p in inputs],
        "catalog": str(params.catalog.resolve()),
        "output": {**params.raw.get("output", {}), "dir": str(out.resolve())},
    }
    return load_params_from(raw, None)


def load_params_from(raw: dict, path: Path | None) -> Params:
    """Params from a mapping whose paths are absolute (a derived province's), checked."""
    check(raw, str(path or "<params>"))
    return _from_raw(raw, path, Path("/"))


def save_derived(params: Params, folder: Path) -> Params:
    """Write a derived params (a province of a national run) as YAML under ``folder``, named
    by its content; the same params with ``path`` set (what a report job is handed)."""
    from mchch_lib.common.atomic import write_text

    target = Path(folder) / f"{params.year}_{params.province_code}_{params.digest[:16]}.yaml"
    if not target.exists():
        write_text(target, yaml.safe_dump(params.raw, allow_unicode=True, sort_keys=True))
    return load_params(target)


def params_for_inputs(paths, params_dir: Path | None = None) -> Params | None:
    """The params file of ``params/`` whose inputs hold every one of ``paths`` (the sample's
    folder: the sample's own params), the first by name; None when no params file names them."""
    targets = [Path(p).resolve() for p in paths]
    for f in sorted((params_dir or config.PARAMS_DIR).glob("*.yaml")):
        try:
            p = load_params(f)
        except ParamsError:
            continue
        inputs = [Path(i).resolve() for i in p.inputs]
        if targets and all(any(i == t or i in t.parents for i in inputs) for t in targets):
            return p
    return None


def newest_params(*folders: Path) -> Path | None:
    """The params file of the latest year (``<year>.yaml``, e.g. ``2562.yaml``) in the first
    of ``folders`` that has one: what ``mchch app`` opens when no params file is named (in a
    folder ``mchch init`` made, that province's newest year)."""
    for folder in folders:
        years = sorted(
            (int(f.stem), f) for f in Path(folder).glob("*.yaml") if re.fullmatch(r"\d{4}", f.stem)
        )
        if years:
            return years[-1][1]
    return None


def _find(path: Path) -> Path:
    """A relative params path is looked up from the working directory, then the project root
    (so ``../params/2561.yaml`` in a notebook and ``params/2561.yaml`` in a shell both work)."""
    if path.is_absolute() or path.exists():
        return path
    for cand in (config.PROJECT_ROOT / path, config.PARAMS_DIR / path.name):
        if cand.exists():
            return cand
    return path


def _root_of(path: Path) -> Path:
    """Project root of a params file: the parent of its ``params/`` folder, else its folder."""
    p = path.resolve().parent
    return p.parent if p.name == "params" else p


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def earlier_params(params: Params) -> list[Params]:
    """The params of the years to compare with (``compare_with``), oldest first, checked
    before any work: each loads, is a year before this one and of the same province
    (ParamsError naming the file)."""
    out = []
    for path in params.compare_with:
        p = load_params(path)
        if p.year >= params.year:
            raise ParamsError(
                f"{params.path}: compare_with {path}: ปี {p.year} ไม่ใช่ปีก่อน {params.year} / "
                f"year {p.year} is not earlier than {params.year}"
            )
        if p.province_code != params.province_code:
            raise ParamsError(
                f"{params.path}: compare_with {path}: จังหวัด {p.province_code} ไม่ใช่จังหวัด "
                f"{params.province_code} / province {p.province_code} is not "
                f"{params.province_code}"
            )
        out.append(p)
    return sorted(out, key=lambda p: p.year)


def comparison_digest(params: Params) -> str:
    """What a comparison with earlier years depends on beyond this year's data: each earlier
    year's params, input files and catalog, and the confirmed matches (the batch puts it in
    its report keys). Empty without ``compare_with``; cheap (hashes files, reads no sheet)."""
    if not params.compare_with:
        return ""
    from mchch_lib.common.atomic import sha256_file
    from mchch_lib.common.keys import content_hash
    from mchch_lib.data.ingest import discover, source_digests

    parts = []
    for p in earlier_params(params):
        digests = source_digests(discover(list(p.inputs)))
        parts += [p.digest, *digests.values(), sha256_file(p.catalog)]
    if config.MATCHES_CSV.exists():
        parts.append(sha256_file(config.MATCHES_CSV))
    return content_hash(*parts)
