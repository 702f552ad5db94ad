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
        from mchch_lib import render

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
        print(len([d for d in os.listdir(tempfile.gettempdir()) if d.startswith("weasyprint-")]))
        """
    )
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "1"  # one folder while the batch process runs (its own)
    assert not [d for d in os.listdir(tmp_path) if d.startswith("weasyprint-")]  # and none after
    assert "NoneType" not in r.stderr
