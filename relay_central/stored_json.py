"""JSON read back from the database is always encodable.

PostgreSQL's JSONB refuses a lone UTF-16 surrogate. SQLite keeps JSON as text, and before the
text rule (`relay_app.forms.hygiene`) a record could be stored holding one, written as the escape
`\\ud800`. Read back, such text cannot go into any answer: every pull reaching the record failed.
So reading replaces it with U+FFFD, and hands the values back as `RepairedValues`, so that the
code that knows the record can name it in the log (never its values). The next write of the
record stores the repaired text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from relay_app.forms.hygiene import encodable

# A \uD800-\uDFFF escape: the only way JSON text can carry a surrogate (a valid pair decodes
# to one character; checking the decoded value is only needed when the text holds one).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")


class RepairedValues(dict[str, Any]):
    """A stored JSON object in which unencodable text was replaced on reading."""


def loads(text: str | bytes) -> Any:
    value = json.loads(text)
    raw = text.decode("utf-8") if isinstance(text, bytes) else text
    if _SURROGATE_ESCAPE.search(raw) is None:
        return value
    repaired = encodable(value)
    if repaired == value:
        return value
    return RepairedValues(repaired) if isinstance(repaired, dict) else repaired
