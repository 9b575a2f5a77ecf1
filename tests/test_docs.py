"""Generated documentation stays in step with the code it describes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_data_model_doc_is_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/data_model_doc.py", "--check"], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
