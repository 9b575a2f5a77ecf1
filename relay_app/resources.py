"""Where the data files shipped with Relay live (code lists, icons, catalogs).

In a source checkout or an editable install they sit at the repository root (``resources/``,
``i18n/``); a built wheel carries them inside the package under ``relay_app/_data/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def _locate(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Relay data folder {name!r} is missing from the installation")


def resources_dir() -> Path:
    return _locate("resources")


def codelists_dir() -> Path:
    return resources_dir() / "codelists"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def i18n_dir() -> Path:
    return _locate("i18n")
