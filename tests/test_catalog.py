import pytest
import yaml

from mchch_lib.catalog import STANDARD_CODES, load_catalog
from mchch_lib.errors import CatalogError


def test_catalog_2561_loads_all_four_standards():
    cat = load_catalog()
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
    assert load_catalog().resolve_standard(text) == standard


def _write(tmp_path, mutate):
    data = yaml.safe_load(open(load_catalog().path, encoding="utf-8"))
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
