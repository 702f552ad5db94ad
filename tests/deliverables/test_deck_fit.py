"""Thai in the meeting decks: TH Sarabun New named for complex-script (Thai) text in every run
and every chart text, percentage axes from 0 to 100, labels cut between words with "…",
district names whole, lines spaced apart."""

import zipfile

import pytest
from lxml import etree
from pptx import Presentation

from mchch_lib import config
from mchch_lib.analysis import scoring
from mchch_lib.common import textfit
from mchch_lib.data.params import load_params
from mchch_lib.data.reference import load_province
from mchch_lib.deliverables import deck
from mchch_lib.deliverables import jobs as deliverables

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}


@pytest.fixture(scope="module")
def decks(catalog, tmp_path_factory):
    params = load_params(config.PARAMS_DIR / "2561.yaml")
    data = deliverables.run_data(params)
    names = {c: d.name_th for c, d in load_province(60).districts.items()}
    tmp = tmp_path_factory.mktemp("decks")
    out = {}
    for key, code in (("province", None), ("6007", 6007)):
        prs = deck.build_deck(deliverables.deck_context(params, data, code))
        out[key] = deck.save(prs, tmp / f"{key}.pptx")
    return out, data.ind, names


def _parts(path, prefix):
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith(prefix)}


def _chart_of(path, slide_title: str):
    prs = Presentation(path)
    for slide in prs.slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        if any(slide_title in t for t in texts):
            return next(s.chart for s in slide.shapes if s.has_chart)
    raise AssertionError(f"no slide titled {slide_title}")


def test_every_chart_text_names_the_thai_font(decks):
    for path in decks[0].values():
        charts = _parts(path, "ppt/charts/chart")
        assert len(charts) >= 3
        for name, root in charts.items():
            # the chart-wide default: Latin, East Asian and complex script (Thai)
            top = root.find("c:txPr/a:p/a:pPr/a:defRPr", NS)
            assert top is not None, name
            for tag in ("latin", "ea", "cs"):
                assert top.find(f"a:{tag}", NS).get("typeface") == deck.FONT, (name, tag)
            # and every text property an axis, legend or label overrides
            props = root.findall(".//a:defRPr", NS) + root.findall(".//a:rPr", NS)
            assert len(props) >= 4
            for rpr in props:
                faces = {tag: rpr.find(f"a:{tag}", NS) for tag in ("latin", "ea", "cs")}
                assert all(f is not None and f.get("typeface") == deck.FONT for f in faces.values())


def test_every_text_run_names_the_thai_font(decks):
    for path in decks[0].values():
        for name, root in _parts(path, "ppt/slides/slide").items():
            if not name.endswith(".xml"):
                continue
            runs = root.findall(".//a:r/a:rPr", NS)
            assert runs, name
            for rpr in runs:
                assert rpr.find("a:cs", NS).get("typeface") == deck.FONT, name
                assert rpr.find("a:ea", NS).get("typeface") == deck.FONT, name


@pytest.mark.parametrize("slide_title", ["คะแนนเฉลี่ยก่อนและหลังพัฒนา", "ตัวบ่งชี้ที่ควรพัฒนาต่อ"])
def test_percentage_axes_run_from_0_to_100(decks, slide_title):
    for path in decks[0].values():
        axis = _chart_of(path, slide_title).value_axis
        assert (axis.minimum_scale, axis.maximum_scale) == (0, 100)


def test_indicator_labels_cut_between_words(decks):
    paths, ind, _ = decks
    full = {f"{i} {n}" for i, n in zip(ind["indicator_id"], ind["name_th"], strict=True)}
    room = deck.CHART[2] * 72 * deck.LABEL_SHARE
    cut = 0
    for path in paths.values():
        labels = _chart_of(path, "ตัวบ่งชี้ที่ควรพัฒนาต่อ").plots[0].categories
        assert len(labels) == scoring.TOP_GAPS  # the same top-N as the reports
        for label in labels:
            assert textfit.text_width(label, 16) <= room, label
            if label in full:
                continue
            assert label.endswith(textfit.ELLIPSIS), label
            stem = label[: -len(textfit.ELLIPSIS)]
            whole = next(t for t in full if t.startswith(stem))
            bounds, pos = set(), 0
            for piece in textfit.chunks(whole):
                pos += len(piece)
                bounds.add(len(whole[:pos].rstrip()))
            assert len(stem) in bounds, (label, textfit.chunks(whole))
            cut += 1
    assert cut >= 1  # the sample has names too long for a label


def test_shorten_keeps_whole_words():
    text = "ประสานงานกับหน่วยงานภาคีการพัฒนา"
    assert textfit.shorten(text, 1000, 16) == text
    short = textfit.shorten(text, 100, 16)
    assert short.endswith("…") and short[:-1] in {"ประสานงาน", "ประสานงานกับ"}
    assert textfit.text_width(short, 16) <= 100


def test_district_names_whole_on_one_line(decks):
    """Readiness per district: ranked (best share first), each name whole beside its bar with
    ready / post-assessed, none skipped."""
    paths, _, names = decks
    chart = _chart_of(paths["province"], "พร้อมรับการประเมินระดับจังหวัด")
    assert chart.chart_type.name.startswith("BAR")  # names beside the bars, not under
    labels = list(chart.plots[0].categories)
    assert len(labels) == 15
    assert {lbl.split(" (")[0] for lbl in labels} == set(names.values())
    values = list(chart.series[0].values)
    assert values == sorted(values, reverse=True)
    ax = chart.category_axis._element
    assert ax.find("c:tickLblSkip", NS).get("val") == "1"  # no name skipped


def test_lines_spaced_apart(decks):
    prs = Presentation(decks[0]["6007"])
    seen = 0
    for slide in list(prs.slides)[4:]:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for p in shape.text_frame.paragraphs:
                assert p.line_spacing >= 1.2
                seen += 1
    assert seen >= 3


def test_a_long_item_wraps_between_names_not_inside():
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    item = "• กลุ่มออมทรัพย์เพื่อการผลิตบ้านทุ่งทอง (พัฒนากร: นางสาววันเพ็ญ นาคสวัสดิ์)"
    box = deck._text(slide, item, 0.5, 0.5, 4.0, 3.0, size=24)
    assert box.width == Inches(4.0)
    (p,) = box.text_frame.paragraphs
    lines = p.text.split("\v")
    assert len(lines) >= 3
    _assert_breaks_between_words(p.text, item)
    assert "นางสาววันเพ็ญ นาคสวัสดิ์)" in lines or "นาคสวัสดิ์)" in lines  # the name whole
    assert all(textfit.text_width(x, 24) <= 4.0 * 72 - deck.INSET_PT for x in lines)


def _assert_breaks_between_words(text: str, original: str) -> None:
    """Each line break of a paragraph stands for a space of ``original``, or falls between
    two of its pythainlp words."""
    lines = text.split("\v")
    rebuilt = lines[0]
    for line in lines[1:]:
        if original.startswith(rebuilt + " "):
            rebuilt += " " + line
            continue
        bounds, pos = set(), 0
        for piece in textfit.chunks(original):
            pos += len(piece)
            bounds.add(pos)
        assert len(rebuilt) in bounds, (rebuilt, line)
        rebuilt += line
    assert rebuilt == original
