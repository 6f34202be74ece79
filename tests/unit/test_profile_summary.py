"""The bench's ``--profile`` summary: py-spy's collapsed stacks read into own-time shares."""

from __future__ import annotations

from loadtests._profile import summarise

STACKS = """\
<module> (gunicorn/app.py:1);handle (api.py:9);execute (sqlalchemy/engine/base.py:5) 6
<module> (gunicorn/app.py:1);render (jinja2/environment.py:3) 3
<module> (gunicorn/app.py:1);send_otp (prakerja_gateway/services/payments.py:45) 1
<module> (gunicorn/app.py:1);loads (json/decoder.py:3) 2
"""


def test_own_samples_and_libraries_are_counted_from_the_innermost_frame(tmp_path):
    (tmp_path / "w1.txt").write_text(STACKS)
    summary = summarise([tmp_path / "w1.txt"])
    assert summary.startswith("12 samples")
    assert " 50.0%  execute (sqlalchemy/engine/base.py:5)" in summary
    assert " 50.0%  sqlalchemy" in summary
    assert " 25.0%  jinja2" in summary
    assert "  8.3%  this project" in summary
    assert " 16.7%  standard library and others" in summary


def test_no_samples_says_why(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    assert "no samples" in summarise([tmp_path / "empty.txt"])
