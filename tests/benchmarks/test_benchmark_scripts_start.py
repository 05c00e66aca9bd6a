"""Every benchmark script starts as the README runs it, `python benchmarks/<name>.py`, from any
working directory (its imports of `configs` and `tfgan_kit` resolve): `--help` exits 0."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = sorted(f for f in os.listdir(os.path.join(ROOT, "benchmarks")) if f.endswith(".py")
                 and not f.startswith("_"))


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_script_starts(script, tmp_path):
    result = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", script), "--help"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage" in result.stdout.lower(), result.stdout[-2000:]
