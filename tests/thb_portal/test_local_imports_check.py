"""tools/check_local_imports.py, which .ci/run runs: imports inside functions need a why."""

import textwrap
from pathlib import Path

from tools.check_local_imports import unexplained_imports


def _write(tmp_path: Path, source: str) -> Path:
    file = tmp_path / "module.py"
    file.write_text(textwrap.dedent(source))
    return file


def test_an_import_inside_a_function_without_a_comment_is_reported(tmp_path):
    file = _write(
        tmp_path,
        """
        import os


        def f():
            from json import dumps

            return dumps(os.sep)
        """,
    )
    assert unexplained_imports(file) == [(6, "from json import dumps")]


def test_a_comment_on_the_line_or_above_the_block_explains_it(tmp_path):
    file = _write(
        tmp_path,
        """
        def f():
            # heavy: loaded only when a spreadsheet is asked for
            from json import dumps
            from json import loads

            return dumps, loads


        def g():
            import csv  # cycle: csv imports us

            return csv
        """,
    )
    assert unexplained_imports(file) == []


def test_app_config_ready_needs_no_comment_but_other_methods_do(tmp_path):
    file = _write(
        tmp_path,
        """
        from django.apps import AppConfig


        class ThingsConfig(AppConfig):
            def ready(self):
                from json import dumps

            def other(self):
                from json import loads
        """,
    )
    assert unexplained_imports(file) == [(10, "from json import loads")]
