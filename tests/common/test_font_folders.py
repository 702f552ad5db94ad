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
