"""WeasyPrint's font folder: made once by the batch process before it forks its workers, found
there by them, removed when the batch process ends (no temporary folder left per worker)."""

import os
import subprocess
import sys
import textwrap


def test_a_batch_process_and_its_forked_workers_leave_no_font_folder(tmp_path):
    script = textwrap.dedent(
        """
        import multiprocessing as mp, os, tempfile
        from mchch_lib.render import exporters as render

        render.warm()
        folder = render._font_config()._folder
        assert folder is not None and len(list(folder.iterdir())) >= 4, folder

        def work():  # what a pool worker does: render, then leave with os._exit
            render.html_to_pdf_bytes("<p>ทดสอบ</p>")
            assert render._font_config()._folder == folder

        p = mp.get_context("fork").Process(target=work)
        p.start(); p.join()
        assert p.exitcode == 0
        render.html_to_pdf_bytes("<p>ทดสอบ</p>")
        print(len([d for d in os.listdir(tempfile.gettempdir()) if d.startswith("mchch-fonts-")]))
        """
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "1"  # one folder while the batch process runs (its own)
    assert not [d for d in os.listdir(tmp_path) if d.startswith(("mchch-fonts-", "weasyprint-"))]
    assert "NoneType" not in r.stderr


def test_the_font_folder_of_a_killed_process_is_removed_when_a_run_starts(tmp_path, monkeypatch):
    import signal

    from mchch_lib.common import atomic

    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    child.send_signal(signal.SIGKILL)
    child.wait()
    dead = tmp_path / f"{atomic.FONT_FOLDER_PREFIX}{child.pid}"
    dead.mkdir()
    (dead / "font").write_bytes(b"x")
    mine = atomic.font_folder()  # this process's, alive
    other = tmp_path / "weasyprint-abc"  # not ours: never touched
    other.mkdir()
    assert atomic.remove_stale_font_folders() == [dead]
    assert not dead.exists() and mine.exists() and other.exists()


def test_a_folder_left_by_a_process_of_the_same_id_never_stands_for_this_ones(tmp_path):
    """Process ids are reused. WeasyPrint skips registering a font whose file is already in
    the folder, so a process taking a dead one's folder (same id, fonts left in it) set every
    report in a system font (Loma, DejaVu) without a word. A new process gets a new folder."""
    script = textwrap.dedent(
        """
        import os, shutil, tempfile
        from pathlib import Path
        from mchch_lib.common import atomic
        from mchch_lib.render import exporters as render

        render.warm()
        first = render._font_config()._folder
        # this process again, as a new one with the same id: nothing cached, the fonts left
        # behind in its folder and in one of the older naming (mchch-fonts-<pid>)
        render._font_config.cache_clear()
        atomic._FONT_FOLDERS.clear()
        older = Path(tempfile.gettempdir()) / f"mchch-fonts-{os.getpid()}"
        shutil.copytree(first, older)
        pdf = render.html_to_pdf_bytes(
            f"<html><head><style>{render.report_css()}</style></head>"
            "<body><p>ทดสอบ <b>ตัวหนา</b></p></body></html>"
        )
        assert render._font_config()._folder not in (first, older)
        print(" ".join(sorted(render.pdf_fonts(pdf))))
        """
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["Sarabun", "Sarabun-Bold"]


def test_a_pdf_set_in_a_system_font_is_refused_in_thai_and_english():
    import pytest
    from weasyprint import HTML

    from mchch_lib.render import exporters as render

    pdf = HTML(string="<p style='font-family: DejaVu Sans'>ทดสอบ abc</p>").write_pdf()
    assert "Sarabun" not in " ".join(render.pdf_fonts(pdf))
    with pytest.raises(RuntimeError, match="ฟอนต์ Sarabun ไม่ถูกใช้.*not registered"):
        render.check_fonts(pdf)
    render.check_fonts(render.html_to_pdf_bytes(f"<style>{render.report_css()}</style><p>ก</p>"))
