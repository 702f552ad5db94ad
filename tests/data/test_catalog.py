import pytest
import yaml

from mchch_lib.data.catalog import STANDARD_CODES, load_catalog
from mchch_lib.errors import CatalogError


def test_catalog_2561_loads_all_four_standards():
    cat = load_catalog(year=2561)
    assert list(cat.standards) == list(STANDARD_CODES)
    assert cat.example is True
    assert all(s.full_total > 0 for s in cat.standards.values())
    assert cat.indicators["L1"].standard == "leader"
    # pass mark defaults to 60 % of full marks
    assert cat.indicators["L4"].pass_mark == pytest.approx(9.0)
    assert cat.standards["community"].rule.min_indicators_passed == 7


@pytest.mark.parametrize(
    "text,standard",
    [
        ("มาตรฐานผู้นำชุมชน", "leader"),
        ("ผู้นำชุมชน", "leader"),
        (" กลุ่มองค์กรชุมชน ", "group"),
        ("Community Organization Network", "network"),
        ("ชุมชน", "community"),
        ("community", "community"),
        ("มาตรฐาน ชุมชน", "community"),
        ("ผู้นำ", None),
    ],
)
def test_resolve_standard(text, standard):
    assert load_catalog(year=2561).resolve_standard(text) == standard


def _write(tmp_path, mutate):
    data = yaml.safe_load(open(load_catalog(year=2561).path, encoding="utf-8"))
    mutate(data)
    p = tmp_path / "broken.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "mutate,match",
    [
        (
            lambda d: d["standards"]["group"]["indicators"].append(
                {"id": "L1", "name_th": "ซ้ำ", "full_marks": 5}
            ),
            r"standards\.group\.indicators\[8\] \(id L1\): duplicate indicator id 'L1'",
        ),
        (
            lambda d: d["standards"]["leader"]["indicators"][2].update(full_marks=0),
            r"standards\.leader\.indicators\[2\] \(id L3\): full_marks must be positive",
        ),
        (
            lambda d: d["standards"]["leader"]["indicators"][2].update(full_marks=-5),
            r"\(id L3\): full_marks must be positive, got -5",
        ),
        (
            lambda d: d["standards"]["network"]["rule"].update(min_share_pct=120),
            r"standards\.network\.rule\.min_share_pct: threshold must be within 0-100 %, got 120",
        ),
        (
            lambda d: d["standards"]["network"]["rule"].update(min_share_pct=-1),
            r"threshold must be within 0-100 %",
        ),
        (
            lambda d: d["standards"]["leader"]["indicators"][0].update(pass_mark=11),
            r"\(id L1\): pass_mark 11.0 is outside 0-10.0",
        ),
        (
            lambda d: d["standards"]["leader"]["indicators"][0].update(full_mark=10),
            r"unknown key\(s\) \['full_mark'\]",
        ),
        (
            lambda d: d["standards"].update(youth=d["standards"]["leader"]),
            r"standards\.youth: unknown standard code",
        ),
        (
            lambda d: d["standards"]["community"]["rule"].update(min_indicators_passed=11),
            r"min_indicators_passed: must be an integer within 0-10",
        ),
        (
            lambda d: d["standards"]["group"]["indicators"][1].update(full_marks="สิบ"),
            r"full_marks must be a number, got 'สิบ'",
        ),
    ],
)
def test_broken_catalog_names_file_and_entry(tmp_path, mutate, match):
    p = _write(tmp_path, mutate)
    with pytest.raises(CatalogError, match=match) as exc:
        load_catalog(p)
    assert str(p) in str(exc.value)


def test_missing_catalog_file(tmp_path):
    with pytest.raises(CatalogError, match="catalog file not found"):
        load_catalog(tmp_path / "nope.yaml")


def test_example_catalog_sub_criteria_add_up_to_each_indicator():
    cat = load_catalog(year=2561)
    for ind in cat.indicators.values():
        assert ind.subcriteria, ind.id  # the example gives every indicator its sub-criteria
        assert sum(c.marks for c in ind.subcriteria) == ind.full_marks, ind.id
    assert cat.subcriteria["L4.2"].indicator_id == "L4"
    assert cat.subcriteria["L4.2"].marks == 5


def test_sub_criteria_problems_are_all_named_in_one_error(tmp_path):
    def mutate(d):
        d["subcriteria"]["L1"][0]["marks"] = 5  # 5 + 3 + 3 = 11, full marks 10
        d["subcriteria"]["G3"].pop()  # 5 + 5 = 10, full marks 15
        d["subcriteria"]["L9"] = [{"id": "L9.1", "name_th": "ไม่มี", "marks": 1}]
        d["subcriteria"]["C1"][1]["id"] = "C1.1"

    p = _write(tmp_path, mutate)
    with pytest.raises(CatalogError) as exc:
        load_catalog(p)
    msg = str(exc.value)
    assert str(p) in msg and "4 problem(s) in the sub-criteria" in msg
    assert "subcriteria.L1: the marks add up to 11, but the full marks of L1 are 10" in msg
    assert "subcriteria.G3: the marks add up to 10, but the full marks of G3 are 15" in msg
    assert "subcriteria.L9: no indicator 'L9'" in msg
    assert "subcriteria.C1[1]: sub-criterion id 'C1.1' is empty or used twice" in msg


def test_sub_criteria_with_decimal_marks_add_up_exactly(tmp_path):
    def mutate(d):
        d["subcriteria"]["C1"] = [
            {"id": f"C1.{k}", "name_th": "ย่อย", "marks": m}
            for k, m in enumerate([3.3, 3.3, 3.4], 1)
        ]
        d["subcriteria"]["C2"] = [
            {"id": f"C2.{k}", "name_th": "ย่อย", "marks": m}
            for k, m in enumerate([0.1, 0.2, 9.7], 1)
        ]

    cat = load_catalog(_write(tmp_path, mutate))
    assert [c.marks for c in cat.indicators["C1"].subcriteria] == [3.3, 3.3, 3.4]


def test_a_catalog_without_sub_criteria_still_loads(tmp_path):
    cat = load_catalog(_write(tmp_path, lambda d: d.pop("subcriteria")))
    assert cat.subcriteria == {} and cat.indicators["L1"].subcriteria == ()
