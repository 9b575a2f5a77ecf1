"""The dependency rule: the core never imports Qt, and the server shares only wire schema and forms."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import relay_app

REPO = Path(__file__).resolve().parents[1]


def _core_modules() -> list[str]:
    names = []
    for module in pkgutil.walk_packages(relay_app.__path__, "relay_app."):
        if module.name.startswith(("relay_app.ui", "relay_app.store.migrations")):
            continue
        names.append(module.name)
    return names


def test_core_modules_do_not_import_qt() -> None:
    modules = _core_modules()
    assert "relay_app.services" in modules and "relay_app.store.models" in modules
    script = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert result.stdout.strip() == "", f"core modules loaded Qt: {result.stdout.strip()}"


def test_central_server_imports_only_the_shared_client_modules() -> None:
    allowed = ("relay_app.sync.wire", "relay_app.forms", "relay_app.codelists", "relay_app.i18n",
               "relay_app.resources")
    offending = []
    for path in (REPO / "relay_central").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("from relay_app", "import relay_app")):
                module = stripped.split()[1]
                if not module.startswith(allowed):
                    offending.append(f"{path.relative_to(REPO)}: {stripped}")
    assert offending == []
