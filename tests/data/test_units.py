"""One unit, one registration, one certificate: a unit registered twice in a year (in one
district or two), certified twice by the final round, an officer who is an applicant of their
own district, a district's officers and committee sent again in a supplementary workbook.
Each case is a small workbook built here from the fixture district (tests/fixtures/make_fixtures)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pandas as pd

from mchch_lib import config
from mchch_lib.analysis import compliance, final_round, scoring
from mchch_lib.cli import main as cli_main
from mchch_lib.common.thai import make_citizen_id
from mchch_lib.data import dataset
from mchch_lib.data.reference import load_province
from mchch_lib.data.units import registered_twice
from mchch_lib.deliverables import certificates

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures"))
import make_fixtures as fx  # noqa: E402

A, OF, C, F = "ผู้สมัคร", "พัฒนากร", "คณะอนุกรรมการ", "ผลการรับรองระดับจังหวัด"
SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def _load(*paths):
    return dataset.load(
        list(paths),
        config.catalog_path(2561),
        60,
        deadline_41=dt.date(2018, 5, 18),
        use_cache=False,
    )


def _validate(capsys, *paths, json_path: Path):
    args = ["validate", "--params", "params/2561.yaml", *map(str, paths), "--no-cache"]
    code = cli_main([*args, "--json", str(json_path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "MISMATCH" not in out
    return code, json.loads(json_path.read_text(encoding="utf-8"))


def _reconciles(ds) -> None:
    rc = ds.reconciliation
    assert (rc["rows_read"] == rc["clean"] + rc["rejected"] + rc["merged"]).all(), rc
    for name in ("applicants", "officers", "committee", "final_round"):
        read = int(rc.loc[rc["table"] == name, "rows_read"].sum())
        gone = int(rc.loc[rc["table"] == name, ["rejected", "merged"]].sum().sum())
        assert len(ds.table(name)) == read - gone, name


def _app(aid, standard, name, tambon, moo, cid=None, district="ตาคลี"):
    return [district, aid, standard, name, cid, tambon, moo, "นายวิชัย รักดี", "11/05/2561", "ใช่"]


def _of(rule, problems):
    return [p for p in problems if p["rule"] == rule]


# ---------------------------------------------------------------- registered twice
def test_a_network_registered_twice_is_located_and_certified_once(tmp_path, capsys, catalog):
    s = fx.base()
    s[A] += [
        _app("T-003", "เครือข่ายองค์กรชุมชน", "เครือข่ายองค์กรชุมชนตำบลหนองโพ", "หนองโพ", 10),
        # the same network again: spaced differently, written ต., another หมู่ (a network is a
        # tambon's)
        _app("T-004", "เครือข่ายองค์กรชุมชน", "เครือข่าย องค์กรชุมชน ต.หนองโพ", "ต.หนองโพ", 4),
    ]
    s.update(fx.FINAL)
    s[F] += [
        fx.final_row("T-003", "ผ่าน", "ใช่", "มชช.นว 003/2561", {}),
        fx.final_row("T-004", "ผ่าน", "ใช่", "มชช.นว 004/2561", {}),
    ]
    f = tmp_path / "6007_takhli.xlsx"
    fx.write_xlsx(f, s)
    code, probs = _validate(capsys, f, json_path=tmp_path / "p.json")
    assert code == 0  # warnings: the run goes on
    dup = _of("duplicate_registration", probs)
    assert [(p["sheet"], p["row"], p["column"], p["severity"]) for p in dup] == [
        (A, 7, "รหัสผู้สมัคร", "warning")
    ]
    assert dup[0]["message_th"].startswith(
        f"T-004 (เครือข่าย องค์กรชุมชน ต.หนองโพ) เป็นหน่วยเดียวกับ T-003 ที่ลงทะเบียนไว้แล้ว ({f} แถว 6)"
    )
    assert dup[0]["message_en"].startswith(f"T-004 (เครือข่าย องค์กรชุมชน ต.หนองโพ) is the same "
                                           f"unit as T-003, already registered ({f} row 6)")  # fmt: skip
    twice = _of("certified_twice", probs)
    assert [(p["sheet"], p["row"], p["column"]) for p in twice] == [(F, 7, "รับรอง")]
    assert "มชช.นว 003/2561" in twice[0]["message_th"]
    assert "certificate มชช.นว 004/2561 is not issued" in twice[0]["message_en"]

    ds = _load(f)
    _reconciles(ds)
    res = final_round.results(ds, catalog, scoring.applicant_scores(ds, catalog))
    cert = final_round.certified(res)
    assert list(cert["applicant_id"]) == ["T-001", "T-002", "T-003"]
    assert set(cert["certificate_no"]) == {"มชช.นว 001/2561", "มชช.นว 002/2561", "มชช.นว 003/2561"}
    second = res.set_index("applicant_id").loc["T-004"]
    assert not second["certified"] and pd.isna(second["certificate_no"])  # assessed, kept
    made = certificates.certificates(cert, catalog, load_province(60), None)
    assert len(made) == 3


def test_a_leader_registered_by_two_districts_is_one_leader(tmp_path, capsys):
    cid = make_citizen_id("360070012345")
    s = fx.base()
    s[A].append(_app("T-003", "มาตรฐานผู้นำชุมชน", "นางสาวมาลี ใจงาม", "หนองโพ", 2, cid))
    other = fx.base()
    # her tambon in Tak Fa's workbook is one of Tak Fa's (a workbook is where it says it is)
    other[A] = [other[A][0], _app("K-001", "มาตรฐานผู้นำชุมชน", "น.ส.มาลี  ใจงาม", "ตากฟ้า",
                                  2, cid, district="ตากฟ้า")]  # fmt: skip
    for sheet in (OF, C):
        for row in other[sheet][1:]:
            row[0] = "ตากฟ้า"
    del other["คะแนน"], other["แผนพัฒนาตนเอง"]
    a, b = tmp_path / "6007_takhli.xlsx", tmp_path / "6012_tak-fa.xlsx"
    fx.write_xlsx(a, s)
    fx.write_xlsx(b, other)
    code, probs = _validate(capsys, tmp_path, json_path=tmp_path / "p.json")
    dup = _of("duplicate_registration", probs)
    assert [(Path(p["file"]).name, p["row"]) for p in dup] == [("6012_tak-fa.xlsx", 4)]
    assert "เลขประจำตัวประชาชนเดียวกัน" in dup[0]["message_th"]
    assert f"as T-003, already registered ({a} row 6): the same citizen ID" in dup[0]["message_en"]
    assert cid not in json.dumps(probs, ensure_ascii=False)  # the ID itself is never shown


def test_units_alike_but_not_the_same_are_not_flagged():
    def u(std, name, tambon="หนองโพ", moo=None, cid=None):
        return {"standard": std, "name": name, "tambon": tambon, "moo": moo, "citizen_id": cid}

    units = [
        u("community", "บ้านหนองโพ หมู่ที่ 5", moo=5),
        u("community", "บ้านหนองโพ หมู่ที่ 6", moo=6),  # another village
        u("group", "กลุ่มอาชีพทอผ้าบ้านดอนแฝก"),
        u("group", "กลุ่มอาชีพทอผ้าบ้านหนองกลับ"),  # the same activity, another village
        u("group", "กลุ่มอาชีพทอผ้าบ้านดอนแฝก", tambon="ตาคลี"),  # another tambon
        u("network", "กลุ่มอาชีพทอผ้าบ้านดอนแฝก"),  # another standard
        u("leader", "นายสมชาย ใจดี", cid="1"),
        u("leader", "นายสมชาย ใจดี", cid="2"),  # two IDs: two people of one name
        u("leader", "นายสมชาย ใจดี"),  # no ID: a name is never enough for a person
        u("group", "กลุ่ม อาชีพทอผ้า บ้านดอนแฝก"),  # the only one registered twice
    ]
    assert registered_twice(units) == [[2, 9]]
    # a pasted block of thousands in one tambon: equal names only, and quickly
    many = [u("group", f"กลุ่มที่ {n}") for n in range(3000)] + [u("group", "กลุ่มที่ 7")]
    assert registered_twice(many) == [[7, 3000]]


# ---------------------------------------------------------------- conflict of interest
def test_an_officer_who_is_a_leader_applicant_of_their_district_is_a_warning(tmp_path, capsys):
    s = fx.base()
    s[A].append(_app("T-003", "มาตรฐานผู้นำชุมชน", "นายวิชัย  รักดี", "หนองโพ", 2,
                     make_citizen_id("360070054321")))  # fmt: skip
    f = tmp_path / "6007_takhli.xlsx"
    fx.write_xlsx(f, s)
    code, probs = _validate(capsys, f, json_path=tmp_path / "p.json")
    assert code == 0
    coi = _of("officer_is_applicant", probs)
    assert [(p["sheet"], p["row"], p["column"], p["severity"]) for p in coi] == [
        (A, 6, "ชื่อ", "warning")
    ]
    assert coi[0]["message_th"].startswith(
        f"ผู้สมัคร นายวิชัย รักดี เป็นพัฒนากรของอำเภอเดียวกัน ({f} แถว 5): มีส่วนได้เสีย"
    )
    assert (
        f"is an officer of the same district ({f} row 5): a conflict of interest"
        in (coi[0]["message_en"])
    )


# ---------------------------------------------------------------- a supplementary workbook
def _supplement(tmp_path, change=None) -> tuple[Path, Path]:
    """The district's workbook and a second one for the same district: one more applicant, and
    the officers and committee copied again (``change`` edits the copy)."""
    main, more = fx.base(), fx.base()
    more[A] = [more[A][0], _app("T-003", "กลุ่มองค์กรชุมชน", "กลุ่มเลี้ยงไก่บ้านหนองโพ",
                                "หนองโพ", 5)]  # fmt: skip
    more["คะแนน"] = [more["คะแนน"][0], *(r for r in more["คะแนน"][3:])]
    more["แผนพัฒนาตนเอง"][1][1:3] = ["T-003", fx.GROUP[0]]
    for row in more["คะแนน"][1:]:
        row[1] = "T-003"
    if change:
        change(more)
    a, b = tmp_path / "6007_takhli.xlsx", tmp_path / "6007_takhli_เพิ่มเติม.xlsx"
    fx.write_xlsx(a, main)
    fx.write_xlsx(b, more)
    return a, b


def test_a_supplementary_workbook_does_not_double_officers_or_committee(tmp_path, capsys):
    a, b = _supplement(tmp_path)
    code, probs = _validate(capsys, tmp_path, json_path=tmp_path / "p.json")
    assert code == 0
    rep = _of("repeated_person", probs)
    assert sorted((Path(p["file"]).name, p["sheet"], p["row"]) for p in rep) == sorted(
        [(b.name, OF, 4), (b.name, OF, 5), *((b.name, C, r) for r in range(4, 9))]
    )
    rep = [p for p in rep if p["sheet"] == OF and p["row"] == 4]
    assert rep[0]["message_th"] == (
        f'นางสาวมาลี ศรีสุข มีอยู่แล้วในแผ่นงาน "พัฒนากร" ของอำเภอเดียวกันในไฟล์อื่น ({a} แถว 4) '
        "ข้อมูลตรงกัน จึงนับครั้งเดียว"
    )
    assert rep[0]["message_en"].startswith("นางสาวมาลี ศรีสุข is already in sheet")
    ds = _load(tmp_path)
    _reconciles(ds)
    assert len(ds.officers) == 2 and len(ds.committee) == 5 and len(ds.applicants) == 3
    rc = ds.reconciliation.set_index(["file", "table"])
    assert rc.loc[(str(b), "committee"), ["rows_read", "clean", "merged"]].tolist() == [5, 0, 5]
    found = compliance.check_all(ds, fx.CAT, None, None).set_index(["district_code", "check"])
    assert found.loc[(6007, "committee_roles"), "ok"]


def test_a_supplementary_workbook_that_disagrees_is_an_error(tmp_path, capsys):
    def chair_elsewhere(s):
        s[C][1][2] = "กรรมการ"  # the chair of the first workbook is a member here

    a, b = _supplement(tmp_path, chair_elsewhere)
    code, probs = _validate(capsys, tmp_path, json_path=tmp_path / "p.json")
    assert code == 1
    bad = _of("conflicting_person", probs)
    assert [(Path(p["file"]).name, p["sheet"], p["row"], p["severity"]) for p in bad] == [
        (b.name, C, 4, "error")
    ]
    assert bad[0]["message_th"] == (
        f'นายอำเภอ ตาคลี มีอยู่แล้วในแผ่นงาน "คณะอนุกรรมการ" ของอำเภอเดียวกันในไฟล์อื่น ({a} แถว 4) '
        "แต่ข้อมูลต่างกัน (ประธาน, ที่ว่าการอำเภอตาคลี / กรรมการ, ที่ว่าการอำเภอตาคลี) "
        "ให้แก้ให้ตรงกัน หรือส่งรายชื่อในไฟล์เดียว"
    )
    assert "with other details (ประธาน, ที่ว่าการอำเภอตาคลี / กรรมการ" in bad[0]["message_en"]
    ds = _load(tmp_path)
    _reconciles(ds)
    assert len(ds.committee) == 5 and (ds.committee["role"] == "chair").sum() == 1


# ---------------------------------------------------------------- the sample
def test_the_2561_sample_flags_the_lat_yao_network_and_certifies_it_once(tmp_path, capsys, catalog):
    code, probs = _validate(capsys, SAMPLE / "2561", json_path=tmp_path / "p.json")
    assert code == 0
    lat_yao = [
        (Path(p["file"]).name, p["row"], p["value"])
        for p in _of("duplicate_registration", probs)
        if "6011" in p["file"]
    ]
    assert lat_yao == [("6011_lat-yao.xlsx", 8, "2561-6011-005")]
    assert [p["value"] for p in _of("certified_twice", probs)] == ["2561-6011-005"]
    assert [(Path(p["file"]).name, p["row"]) for p in _of("officer_is_applicant", probs)] == [
        ("6007_takhli.xlsx", 5)
    ]
    ds = _load(SAMPLE / "2561")
    cert = final_round.certified(
        final_round.results(ds, catalog, scoring.applicant_scores(ds, catalog))
    )
    assert "2561-6011-001" in set(cert["applicant_id"]) and len(cert) == 49
    assert not cert["applicant_id"].duplicated().any()
    assert not cert["certificate_no"].duplicated().any()


# ---------------------------------------------------------------- matches.csv
def _decisions_file(tmp_path, *rows: str) -> Path:
    p = tmp_path / "matches.csv"
    head = "year,applicant_id,previous_year,previous_applicant_id,decision,note\n"
    p.write_text(head + "".join(r + "\n" for r in rows), encoding="utf-8")
    return p


def test_matches_csv_two_units_confirmed_as_one_and_unknown_units_are_located(tmp_path):
    from mchch_lib.analysis import matching

    def apps(*ids):
        return pd.DataFrame({"applicant_id": list(ids)})

    years_in = {2562: apps("B-1", "B-2", "B-3"), 2561: apps("A-1", "A-2")}
    p = _decisions_file(
        tmp_path,
        "2562,B-1,2561,A-1,same,",  # row 2 and row 3: two units of 2562 as one of 2561
        "2562,B-2,2561,A-1,same,",
        "2562,B-9,2561,A-2,same,typo",  # row 4: no such unit in 2562
        "2562,B-3,2561,A-2,same,",  # row 5: applied
        "2563,C-1,2562,B-1,same,",  # row 6: years not in play: left alone
    )
    usable, probs = matching.check_decisions(matching.load_decisions(p), years_in)
    got = sorted((x.rule, x.row, x.column, x.value, x.severity) for x in probs)
    assert got == [
        ("decision_conflict", 2, "decision", "same", "warning"),
        ("decision_conflict", 3, "decision", "same", "warning"),
        ("decision_unknown_unit", 4, "applicant_id", "B-9", "warning"),
    ]
    first = next(x for x in probs if x.row == 2)
    assert first.file == str(p)
    assert first.message_th == (
        "การตัดสินใจนี้ขัดกับแถว 3 (2 หน่วยของปี 2562 ยืนยันว่าเป็นหน่วย A-1 ของปี 2561) "
        "จึงไม่นำทั้งสองแถวมาใช้ ให้เหลือแถวที่ถูกต้องแถวเดียว"
    )
    assert first.message_en == (
        "This decision contradicts row 3 (2 units of 2562 are confirmed as unit A-1 of 2561), so "
        "neither is applied; keep only the right one"
    )
    unknown = next(x for x in probs if x.row == 4)
    assert "B-9" in unknown.message_th and "not in that year's data" in unknown.message_en
    # nothing lost or doubled: every row is applied, reported, or not in play
    assert list(usable["source_row"]) == [5, 6]
    now = pd.DataFrame(
        [{"district_code": 6007, "applicant_id": a, "standard": "group", "name": n,
          "citizen_id": None, "tambon": "หนองโพ", "moo": None}
         for a, n in (("B-1", "กลุ่มทอผ้า"), ("B-2", "กลุ่มจักสาน"), ("B-3", "กลุ่มเลี้ยงไก่"))]
    )  # fmt: skip
    before = now.assign(applicant_id=["A-1", "A-2", "A-3"], name=["x", "y", "z"])
    units, _ = matching.match_units(now, before, 2562, 2561, usable)
    u = units.set_index("applicant_id")
    assert u.loc["B-3", "method"] == "confirmed"
    assert u.loc["B-1", "method"] != "confirmed" and u.loc["B-2", "method"] != "confirmed"
    # one unit confirmed as two of the other year, and same beside different: contradictions
    p = _decisions_file(
        tmp_path, "2562,B-1,2561,A-1,same,", "2562,B-1,2561,A-2,same,",
        "2562,B-3,2561,A-2,different,", "2562,B-3,2561,A-2,same,",
    )  # fmt: skip
    _, probs = matching.check_decisions(matching.load_decisions(p), years_in)
    # B-1 as A-1 and A-2 (rows 2, 3); B-1 and B-3 as A-2 (3, 5); B-3/A-2 same and different
    assert sorted((x.rule, x.row) for x in probs) == [
        ("decision_conflict", r) for r in (2, 3, 3, 4, 5, 5)
    ]
    assert any("ทั้ง same และ different" in x.message_th for x in probs)
    # a district's view (not whole years): a unit of another district is not "unknown"
    _, probs = matching.check_decisions(matching.load_decisions(p), years_in, complete=False)
    assert {x.rule for x in probs} == {"decision_conflict"}


def test_mchch_compare_names_the_matches_csv_rows_it_does_not_apply(tmp_path, capsys, monkeypatch):
    from mchch_lib import config

    p = _decisions_file(
        tmp_path,
        "2562,2562-6007-001,2561,2561-6007-003,same,",
        "2562,2562-6007-003,2561,2561-6007-003,same,",
        "2562,2562-6099-001,2561,2561-6007-001,same,",
    )
    monkeypatch.setattr(config, "MATCHES_CSV", p)
    monkeypatch.setattr("mchch_lib.analysis.matching.MATCHES_CSV", p)
    code = cli_main(["compare", "params/2562.yaml", "--with", "params/2561.yaml"])
    out, err = capsys.readouterr()
    assert code == 0 and "Traceback" not in err
    lines = [ln for ln in out.splitlines() if ln.startswith(str(p))]
    assert [ln.split(" [")[0] for ln in lines] == [f"{p} แถว/row {r}" for r in (2, 3, 4)]
    assert "[decision_unknown_unit]" in lines[2] and "2562-6099-001" in lines[2]
    assert "2 units of 2562 are confirmed as unit 2561-6007-003 of 2561" in lines[0]
