"""Certificates (ใบรับรองมาตรฐานการพัฒนาชุมชน) for the units the provincial committee certified,
and the certified list as an announcement form (Excel).

``reports/<year>/certificates/`` gets one A4 landscape PDF per certified unit (its name,
standard, place, province, year in พ.ศ., certificate number, the signature lines of the
provincial committee's chair and the governor), one combined PDF of all of them for printing,
and ``ประกาศรายชื่อผู้ผ่านการรับรอง.xlsx``. The certificates are one HTML document laid out once
by WeasyPrint with the house Sarabun and the Thai text-layer fix (``render.html_to_pdf_bytes``);
each unit's PDF is its page of that document, so the two never differ.

Decisions: the certificate's date is the date of certification (วันที่รับรอง), else of the
committee's assessment; the governor's name is not in the data, so its line is left to be
written; a certificate made with an example catalog says so in small print (no test data
should pass for a real certificate). Certificates follow the ``output.forms`` switch (they
are official documents like the forms).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from mchch_lib import config
from mchch_lib.analysis import final_round, scoring
from mchch_lib.common import textfit, thai
from mchch_lib.common.atomic import atomic_path
from mchch_lib.common.keys import code_version, cut_name, safe_name
from mchch_lib.data.catalog import Catalog, load_catalog
from mchch_lib.data.contract import Dataset
from mchch_lib.data.reference import Province, load_province
from mchch_lib.deliverables import forms
from mchch_lib.documents.templating import render_document

FOLDER = "certificates"
COMBINED = "ใบรับรอง_ทั้งหมด.pdf"
ANNOUNCEMENT = "ประกาศรายชื่อผู้ผ่านการรับรอง.xlsx"
#: Room for the unit's name on one line (points, inside the frame), and its type sizes.
NAME_ROOM_PT, NAME_PT, NAME_MIN_PT = 640.0, 30.0, 20.0


@dataclass(frozen=True)
class Certificate:
    """What one certificate says."""

    applicant_id: str
    district_code: int
    number: str
    name: str
    name_pt: float
    standard_th: str
    place: str
    given: str
    chair: str | None


def _given(d) -> str:
    """ "14 กันยายน พ.ศ. 2561" (the form of a date on a Thai certificate)."""
    if d is None or pd.isna(d):
        return "........ เดือน .................... พ.ศ. ........"
    d = d.date() if isinstance(d, dt.datetime | pd.Timestamp) else d
    return f"{d.day} {thai.THAI_MONTHS[d.month - 1]} พ.ศ. {thai.be_year(d)}"


def _place(r, district_th: str, province_th: str) -> str:
    moo = "" if pd.isna(r.moo) or "หมู่ที่" in str(r.name) else f"หมู่ที่ {int(r.moo)} "
    return f"{moo}ตำบล{r.tambon} อำเภอ{district_th} จังหวัด{province_th}"


def name_size(name: str) -> float:
    """The type size (pt) at which a unit's name fits one line, within NAME_MIN_PT..NAME_PT
    (a longer name wraps at a word boundary at the least size)."""
    width = textfit.text_width(name, NAME_PT, bold=True)
    size = NAME_PT if width <= NAME_ROOM_PT else NAME_PT * NAME_ROOM_PT / width
    return max(NAME_MIN_PT, int(size * 2) / 2)


def chair_of(ds: Dataset) -> str | None:
    """The provincial committee's chair (one, or none when the data does not say)."""
    com = ds.province_committee
    chairs = list(com.loc[com["role"] == "chair", "name"])
    return chairs[0] if len(chairs) == 1 else None


def certificates(
    certified: pd.DataFrame, catalog: Catalog, province: Province, chair: str | None
) -> list[Certificate]:
    """The certificates of the certified units (rows of ``final_round.certified``)."""
    out = []
    for r in certified.itertuples(index=False):
        district_th = province.districts[int(r.district_code)].name_th
        out.append(
            Certificate(
                r.applicant_id,
                int(r.district_code),
                r.certificate_no,
                r.name,
                name_size(r.name),
                catalog.standards[r.standard].name_th,
                _place(r, district_th, province.name_th),
                _given(r.certified_on),
                chair,
            )
        )
    return out


def _css() -> str:
    css = (config.TEMPLATES_DIR / "certificate" / "certificate.css").read_text(encoding="utf-8")
    for key, weight in (("font_regular", "Regular"), ("font_semibold", "SemiBold"),
                        ("font_bold", "Bold")):  # fmt: skip
        css = css.replace("{" + key + "}", (config.FONTS_DIR / f"Sarabun-{weight}.ttf").as_uri())
    return css


def certificate_html(
    certs: list[Certificate],
    province_th: str,
    year: int,
    office: str = "",
    thai_digits: bool = False,
    example: bool = False,
) -> str:
    """One HTML document, one page per certificate."""
    return render_document(
        "certificate/certificate.html.j2",
        thai_digits,
        certificates=[asdict(c) for c in certs],
        province=province_th,
        year=year,
        office=office,
        title=f"ใบรับรองมาตรฐานการพัฒนาชุมชน จังหวัด{province_th} ปี {year}",
        generator=f"mchch {code_version()}",
        css=_css(),
        example=example,
    )


#: Characters of the unit's name kept in a file name (Thai takes 3 bytes a character in
#: UTF-8; file systems allow 255 bytes a name, the CD bundle 240 characters a path).
NAME_IN_FILE = 40


def file_name(cert: Certificate) -> str:
    """A certificate's PDF: ``<number>_<name>.pdf``, Windows-safe, the name cut to
    ``NAME_IN_FILE`` characters between words, never inside a Thai character cluster
    (``keys.cut_name``); the number keeps it unique."""
    name = cut_name(safe_name(cert.name), NAME_IN_FILE)
    return f"{safe_name(cert.number)}_{name}.pdf"


def _pages(pdf: bytes, certs: list[Certificate], province_th: str) -> list[bytes]:
    """Each certificate's page of the combined PDF as a PDF of its own."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    if len(reader.pages) != len(certs):
        raise ValueError(
            f"{len(certs)} certificates laid out on {len(reader.pages)} pages: a certificate "
            "must fit one page (check certificate.css)"
        )
    out = []
    for page, c in zip(reader.pages, certs, strict=True):
        w = PdfWriter()
        w.add_page(page)
        w.add_metadata(
            {
                "/Title": f"ใบรับรองมาตรฐานการพัฒนาชุมชน {c.number} {c.name}",
                "/Subject": f"{c.standard_th} จังหวัด{province_th}",
                "/Creator": f"mchch {code_version()}",
            }
        )
        buf = io.BytesIO()
        w.write(buf)
        out.append(buf.getvalue())
    return out


def write(params, ds: Dataset, catalog: Catalog | None = None, scored=None) -> list[Path]:
    """Write the certificates, the combined PDF and the announcement form of a run; returns
    the paths written (none when nobody is certified). Files of units no longer certified are
    removed."""
    from mchch_lib.render.exporters import html_to_pdf_bytes

    catalog = catalog or load_catalog(params.catalog)
    province = load_province(params.province_code)
    scored = scoring.applicant_scores(ds, catalog) if scored is None else scored
    cert = final_round.certified(final_round.results(ds, catalog, scored))
    folder = params.output_dir / FOLDER
    certs = certificates(cert, catalog, province, chair_of(ds))
    keep = {file_name(c) for c in certs} | ({COMBINED, ANNOUNCEMENT} if certs else set())
    if folder.exists():
        for old in folder.iterdir():
            if old.is_file() and old.suffix in (".pdf", ".xlsx") and old.name not in keep:
                old.unlink()
    if not certs:
        return []
    html = certificate_html(certs, province.name_th, params.year, params.office_th,
                            params.thai_digits, catalog.example)  # fmt: skip
    pdf = html_to_pdf_bytes(html)
    written = []
    for c, data in zip(certs, _pages(pdf, certs, province.name_th), strict=True):
        written.append(_write_bytes(folder / file_name(c), data))
    written.append(_write_bytes(folder / COMBINED, pdf))
    names = {c: d.name_th for c, d in province.districts.items()}
    wb = forms.announcement(cert, catalog, params.office_th, params.year, province.name_th, names)
    if params.thai_digits:
        forms.use_thai_digits(wb)
    written.append(forms.save(wb, folder / ANNOUNCEMENT))
    return written


def _write_bytes(path: Path, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return path
