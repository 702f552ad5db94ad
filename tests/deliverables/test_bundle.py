"""The CD bundle's index page and a report's warnings annex, rendered from templates/."""

from mchch_lib.deliverables import bundle


def test_bundle_index_page_goes_through_the_templates():
    """The index page and the warnings annex are rendered from templates/ (one escape gate):
    workbook text is escaped, the summary stays markup, an empty section is left out."""
    from collections import Counter

    from mchch_lib.render.outputs import ANNEX_TITLE, annex_html

    page = bundle._index_html(
        "ปี 2561 <จังหวัด>",
        {"รายงาน": [("a b.pdf", "ตาคลี & <b>")], "ว่าง": []},
        "<p>สรุป</p>",
    )
    lines = page.splitlines()
    assert lines[0].startswith('<!DOCTYPE html><html lang="th">')
    assert "<title>ปี 2561 &lt;จังหวัด&gt;</title><style>@font-face" in lines[0]
    assert "url('fonts/Sarabun-Regular.ttf')" in lines[0]  # the CSS as written, not escaped
    assert lines[1:6] == [
        "<h1>ปี 2561 &lt;จังหวัด&gt;</h1>",
        "<p>สรุป</p>",
        "<h2>รายงาน</h2><ul>",
        '<li><a href="a b.pdf">ตาคลี &amp; &lt;b&gt;</a></li>',
        "</ul>",
    ]
    assert "ว่าง" not in page and lines[-1].endswith("</body></html>")
    annex = annex_html(Counter({"คำเตือน <x>": 3, "หนึ่ง": 1}))
    assert annex == (
        f'<section class="annex"><h2>{ANNEX_TITLE}</h2><p>ข้อความที่โปรแกรมแจ้งระหว่างประมวลผล'
        "สมุดบันทึกนี้ แต่ละข้อความแสดงครั้งเดียว (warnings while the notebook ran, each once)</p>"
        '<ul><li>คำเตือน &lt;x&gt; <span class="times">(3 ครั้ง)</span></li><li>หนึ่ง</li></ul>'
        "</section>"
    )
