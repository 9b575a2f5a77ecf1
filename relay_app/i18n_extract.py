"""Babel extraction method for the code-list JSON files.

Code-list labels are gettext msgids that live in data files, not in Python source, so
``pybabel extract`` needs this method to find them. In ``babel.cfg`` it is declared under
``[extractors]`` and then mapped by name, because a section header is split at its first
colon, so ``[relay_app.i18n_extract:extract_codelists: ...]`` would not reach it::

    [extractors]
    codelists = relay_app.i18n_extract:extract_codelists

    [codelists: resources/codelists/**.json]

(Called directly, as in ``extract_from_dir(method_map=[("**.json",
"relay_app.i18n_extract:extract_codelists")])``, the dotted form works.)

Each list's ``title`` and each code's ``label`` become one message. Files without them
(``country_regions.json``; the CLDR-backed lists have only a title) yield what they have.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

Extracted = tuple[int, None, str, list[str]]


def _messages(data: Any) -> Iterator[str]:
    if not isinstance(data, dict):
        return
    title = data.get("title")
    if isinstance(title, str) and title:
        yield title
    codes = data.get("codes")
    if isinstance(codes, list):
        for item in codes:
            label = item.get("label") if isinstance(item, dict) else None
            if isinstance(label, str) and label:
                yield label


def _line_of(lines: list[str], message: str, start: int) -> int:
    """Index of the first line at or after ``start`` holding ``message`` as a JSON string."""
    needles = (json.dumps(message, ensure_ascii=False), json.dumps(message))
    for index in range(start, len(lines)):
        if any(needle in lines[index] for needle in needles):
            return index
    return start


def extract_codelists(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any] | Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Yield ``(lineno, None, message, [])`` for each title and label of a code-list file."""
    encoding = options.get("encoding", "utf-8") if options else "utf-8"
    text = fileobj.read().decode(encoding)
    data = json.loads(text)
    lines = text.splitlines()
    position = 0
    for message in _messages(data):
        position = _line_of(lines, message, position)
        yield position + 1, None, message, []
