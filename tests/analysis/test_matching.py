"""Matching units across years on hand-made pairs: exact citizen ID for leaders, drifted names
for groups, networks and communities, two candidates listed (never guessed), and a person's
confirmed decision overriding what the names say."""

from __future__ import annotations

import pandas as pd
import pytest

from mchch_lib.analysis import matching
from mchch_lib.analysis.matching import normalize_name, normalize_tambon, similarity
from mchch_lib.errors import MchchError

CID_A, CID_B = "1100700234516", "3600700112231"


def unit(aid, standard, name, tambon="ตาคลี", citizen_id=None, moo=None, district=6007):
    return {"district_code": district, "applicant_id": aid, "standard": standard, "name": name,
            "citizen_id": citizen_id, "tambon": tambon, "moo": moo}  # fmt: skip


def match(now: list[dict], before: list[dict], decisions=None):
    units, cands = matching.match_units(
        pd.DataFrame(now), pd.DataFrame(before), 2562, 2561, decisions
    )
    return units.set_index("applicant_id"), cands


@pytest.mark.parametrize(
    "a,b",
    [
        ("กลุ่มทอผ้าบ้านหนองโพ", "ทอผ้าบ้านหนองโพ"),  # กลุ่ม dropped
        ("กลุ่มทอผ้าบ้านหนองโพ", "กลุ่ม ทอผ้า บ้าน หนองโพ"),  # spaces
        ("บ้านหนองโพ หมู่ที่ 5", "หนองโพ ม.5"),  # บ้าน dropped, หมู่ที่ abbreviated
        ("บ้านหนองโพ หมู่ที่ 5", "บ้านหนองโพ หมู่ ๕"),  # Thai digit
        ("เครือข่ายองค์กรชุมชนตำบลพิกุล", "เครือข่ายองค์กรชุมชน ต.พิกุล"),
        ("กลุ่มแม่บ้านเกษตรกร", "กลุ่มเเม่บ้านเกษตรกร"),  # เ + เ typed for แ
        ("กลุ่มทอผ้า\u200bบ้านหนองโพ", "กลุ่มทอผ้าบ้านหนองโพ"),  # a zero-width space
    ],
)
def test_spelling_drift_normalizes_to_the_same_name(a, b):
    assert normalize_name(a) == normalize_name(b)
    assert similarity(normalize_name(a), normalize_name(b)) == 1.0


def test_normalization_keeps_what_tells_units_apart():
    assert normalize_name("นางสาวมาลี ใจดี", person=True) == normalize_name("นางมาลี ใจดี", True)
    assert normalize_name("บ้านหนองโพ หมู่ที่ 5") != normalize_name("บ้านหนองโพ หมู่ที่ 6")
    assert similarity(normalize_name("บ้านหนองโพ ม.5"), normalize_name("บ้านหนองโพ ม.6")) == 0
    assert normalize_name("น้ำ") == "น้ำ"  # sara am kept whole (no NFKC)
    assert normalize_tambon("ต.ตาคลี") == normalize_tambon("ตำบล ตาคลี") == "ตาคลี"
    assert normalize_tambon("บ้านมะเกลือ") == "บ้านมะเกลือ"  # a tambon's own บ้าน stays


def test_the_threshold_sits_between_a_slip_and_another_unit():
    slip = similarity(normalize_name("กลุ่มออมทรัพย์บ้านเนินมะกอก"),
                      normalize_name("กลุ่มออมทรัพยบ้านเนินมะกอก"))  # fmt: skip
    other_village = similarity(normalize_name("กลุ่มอาชีพทอผ้าบ้านดอนแฝก"),
                               normalize_name("กลุ่มอาชีพทอผ้าบ้านหนองกลับ"))  # fmt: skip
    other_activity = similarity(normalize_name("กลุ่มอาชีพทอผ้าบ้านหนองโพ"),
                                normalize_name("กลุ่มออมทรัพย์บ้านหนองโพ"))  # fmt: skip
    assert slip > 0.95 > matching.THRESHOLD
    assert other_village == pytest.approx(0.706, abs=0.001)
    assert other_activity < other_village < matching.CANDIDATE_FLOOR < matching.THRESHOLD


def test_leaders_match_by_exact_citizen_id_whatever_their_name():
    u, c = match(
        [unit("B-1", "leader", "นางมาลี ศรีสุข", citizen_id=CID_A),  # married: a new surname
         unit("B-2", "leader", "นายสมชาย ใจดี", citizen_id=CID_B)],
        [unit("A-1", "leader", "นางสาวมาลี ใจดี", citizen_id=CID_A),
         unit("A-2", "leader", "นายสมชาย ใจดี", citizen_id="1234567890121")],
    )  # fmt: skip
    assert (u.loc["B-1", "status"], u.loc["B-1", "method"]) == ("matched", "citizen_id")
    assert u.loc["B-1", "previous_applicant_id"] == "A-1"
    # same name, same tambon, another ID: another person, not a candidate
    assert u.loc["B-2", "status"] == "new" and c.empty


def test_a_leader_known_by_name_only_is_listed_never_matched():
    u, c = match(
        [unit("B-1", "leader", "นายกิตติ ปานทอง", citizen_id=CID_A)],
        [unit("A-1", "leader", "นายกิตติ ปานทอง")],  # no ID in 2561
    )
    assert u.loc["B-1", "status"] == "to_confirm" and u.loc["B-1", "n_candidates"] == 1
    assert list(c["previous_applicant_id"]) == ["A-1"]


def test_drifted_names_match_within_district_standard_and_tambon():
    u, _ = match(
        [unit("B-1", "group", "ออมทรัพย์ บ้านหนองโพ", tambon="ต.ตาคลี"),
         unit("B-2", "community", "หนองโพ ม.5", moo=5),
         unit("B-3", "network", "เครือข่ายองค์กรชุมชน ต.ตาคลี"),
         unit("B-4", "group", "กลุ่มทอผ้าบ้านหัวดง", tambon="หัวหวาย"),
         unit("B-5", "community", "บ้านหนองโพ หมู่ที่ 6", moo=6)],
        [unit("A-1", "group", "กลุ่มออมทรัพย์บ้านหนองโพ"),
         unit("A-2", "community", "บ้านหนองโพ หมู่ที่ 5", moo=5),
         unit("A-3", "network", "เครือข่ายองค์กรชุมชนตำบลตาคลี"),
         unit("A-4", "group", "กลุ่มทอผ้าบ้านหัวดง", tambon="ตาคลี"),  # another tambon
         unit("A-5", "network", "บ้านหนองโพ หมู่ที่ 6")],  # another standard
    )  # fmt: skip
    assert dict(u["previous_applicant_id"].dropna()) == {"B-1": "A-1", "B-2": "A-2", "B-3": "A-3"}
    assert set(u.loc[["B-1", "B-2", "B-3"], "method"]) == {"name"}
    assert u.loc["B-4", "status"] == u.loc["B-5", "status"] == "new"


def test_two_candidates_are_ambiguous_and_listed():
    u, c = match(
        [unit("B-1", "network", "เครือข่ายองค์กรชุมชนตำบลตาคลี")],
        [unit("A-1", "network", "เครือข่ายองค์กรชุมชนตำบลตาคลี"),
         unit("A-2", "network", "เครือข่ายองค์กรชุมชน ต.ตาคลี")],
    )  # fmt: skip
    assert u.loc["B-1", "status"] == "to_confirm" and pd.isna(u.loc["B-1", "previous_applicant_id"])
    assert sorted(c["previous_applicant_id"]) == ["A-1", "A-2"]
    # and two units of this year that both look like one earlier unit (a group split in two)
    u, c = match(
        [unit("B-1", "group", "กลุ่มทอผ้าบ้านหนองโพ"), unit("B-2", "group", "ทอผ้า บ้านหนองโพ")],
        [unit("A-1", "group", "กลุ่มทอผ้าบ้านหนองโพ")],
    )
    assert set(u["status"]) == {"to_confirm"} and set(c["previous_applicant_id"]) == {"A-1"}


def decisions(*rows):
    return pd.DataFrame(
        [{"year": 2562, "applicant_id": a, "previous_year": 2561, "previous_applicant_id": b,
          "decision": d, "note": ""} for a, b, d in rows],
        columns=matching.DECISION_COLUMNS,
    )  # fmt: skip


def test_a_confirmed_decision_overrides_the_names():
    now = [unit("B-1", "group", "กลุ่มทอผ้าบ้านหนองโพ"), unit("B-2", "group", "ทอผ้า บ้านหนองโพ")]
    before = [unit("A-1", "group", "กลุ่มทอผ้าบ้านหนองโพ"),
              unit("A-9", "group", "กลุ่มจักสานบ้านหัวดง")]  # fmt: skip
    # the split group: a person says B-2 is the old one; B-1 is then new
    u, c = match(now, before, decisions(("B-2", "A-1", "same")))
    assert (u.loc["B-2", "status"], u.loc["B-2", "method"]) == ("matched", "confirmed")
    assert u.loc["B-1", "status"] == "new" and c.empty
    # "same" pairs units whose names differ; "different" keeps an exact name apart
    u, _ = match(now, before, decisions(("B-1", "A-9", "same"), ("B-2", "A-1", "different")))
    assert u.loc["B-1", "previous_applicant_id"] == "A-9"
    assert u.loc["B-2", "status"] == "new"
    # a decision of another year changes nothing
    other = decisions(("B-2", "A-1", "same")).assign(previous_year=2560)
    u, _ = match(now, before, other)
    assert set(u["status"]) == {"to_confirm"}


def test_the_decisions_file_is_read_and_checked(tmp_path):
    p = tmp_path / "matches.csv"
    assert matching.load_decisions(p).empty  # no file: no decisions
    p.write_text(
        "year,applicant_id,previous_year,previous_applicant_id,decision,note\n"
        "2562, B-1 ,2561,A-1,เดียวกัน,ยืนยันโดย สพอ.\n2562,B-2,2561,A-2,different,\n",
        encoding="utf-8-sig",
    )
    d = matching.load_decisions(p)
    assert list(d["decision"]) == ["same", "different"] and d.loc[0, "applicant_id"] == "B-1"
    p.write_text(p.read_text(encoding="utf-8-sig") + "2562,B-3,2561,A-3,maybe,\n", "utf-8")
    with pytest.raises(MchchError, match=r"matches.csv: แถว 4.*'maybe'"):
        matching.load_decisions(p)


def test_the_shipped_decision_settles_the_sample_split_group():
    d = matching.load_decisions()
    row = d[d["applicant_id"] == "2562-6007-001"].iloc[0]
    assert (row["previous_applicant_id"], row["decision"]) == ("2561-6007-003", "same")
