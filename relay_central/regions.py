"""The regions a relay may be given: the UN M49 sub-region slugs of the shared code list."""

from __future__ import annotations

from relay_app.codelists import get as code_list


def region_slugs() -> tuple[str, ...]:
    return code_list("regions").codes()


def unknown_regions(regions: list[str]) -> list[str]:
    known = set(region_slugs())
    return [region for region in regions if region not in known]
