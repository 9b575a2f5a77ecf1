"""Write docs/data-model.md from the form definitions and code lists, so the doc cannot drift.

Usage: .venv/bin/python scripts/data_model_doc.py [--check]
``--check`` exits 1 when the committed file differs (tests/test_docs.py runs it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from relay_app import codelists
from relay_app.forms import CHECKIN_KIND, FILE_KIND, KINDS, form_for
from relay_app.forms.fields import Field, FieldType, YearsFromNow
from relay_app.forms.relevance import AllSet, AnySet, Condition, Equals, IsSet

TARGET = Path(__file__).resolve().parents[1] / "docs" / "data-model.md"
CLDR_LISTS = {"countries": "ISO 3166-1 alpha-2 codes; names from CLDR (Babel) in the user's language",
              "languages": "ISO 639-1 codes; names from CLDR (Babel) in the user's language"}

HEADER = """# Data model

Generated from `relay_app/forms/` and `resources/codelists/` by `scripts/data_model_doc.py`; edit those,
then run the script. Field names are a public contract: the same in the CLI, CSV/XLSX headers, JSON
and the sync protocol.

## Every record

| field | type | meaning |
|---|---|---|
| `id` | UUID | made on the device that created the record; never changes |
| `created_at`, `updated_at` | datetime (UTC) | for display only: device clocks never order changes |
| `deleted` | boolean | tombstone: the record is hidden and the deletion syncs |
| `origin_device` | UUID | the device that created the record |
| `base_version` | integer | the server version the record was last synced at (none before its first sync) |
| `dirty_fields` | list | fields changed on this device since `base_version` |

Values: dates are `YYYY-MM-DD`, datetimes ISO 8601 (stored in UTC), lists are JSON arrays (in CSV/XLSX
cells: items separated by `;`), booleans `true`/`false` (imports also accept yes/no, 1/0, oui/non,
sí/no). An empty `region` is filled from the `country` (UN M49 sub-region).

Numbers are exported with a point (`14.15`). Typed or imported as text, they are read by one rule, the
same in the editor, imports, the CLI and the server, whatever the language:

- one comma or one point is the decimal mark: `14,15` and `14.15` are both 14.15;
- thousands are grouped in threes, by spaces (`1 234,5`, `12 345.5`), by the other mark when a decimal
  mark follows (`1,234.5`, `1.234,5`), or by one mark repeated (`1,234,567`);
- the language's own thousands mark alone before exactly three digits (`1,234` in English, `1.234` in
  Spanish) could be either, so it is refused as ambiguous with a message giving both unambiguous
  spellings (`1234` or `1.234`); an integer field reads it as thousands (only a whole number fits).
  French groups with a space, so there `1,234` and `1.234` are both 1.234;
- an exponent (`1.5E+07`, as spreadsheets write large numbers) is read in decimal fields.

CSV exports write such look-alike numbers with a fourth decimal (`12.3450`), so every export imports
again in every language.

Text, in every field whatever its type (list items too): text UTF-8 cannot hold (a lone UTF-16
surrogate, `"\\ud800"` in JSON) is refused with `invalid_text`; control characters other than tab
and line breaks (NUL, escape, DEL…) are removed; surrounding whitespace is trimmed. Multi-line fields
(`long_text`) keep tabs and line breaks (stored as `\\n`); single-line fields turn them into spaces.
Every free-text field has a length limit (`max … characters`), checked after this cleaning.
"""


def _condition(condition: Condition) -> str:
    if isinstance(condition, Equals):
        return f"`{condition.field}` = `{condition.value}`"
    if isinstance(condition, IsSet):
        return f"`{condition.field}` is set"
    if isinstance(condition, AnySet):
        return "any of " + ", ".join(f"`{name}`" for name in condition.fields) + " is set"
    if isinstance(condition, AllSet):
        return "all of " + ", ".join(f"`{name}`" for name in condition.fields) + " are set"
    return ", ".join(f"`{name}`" for name in condition.depends_on)


def _type(field: Field) -> str:
    if field.type in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
        return f"{field.type.value} of [{field.codelist}](#{field.codelist})"
    if field.type is FieldType.REFERENCE:
        return f"reference to {field.reference}"
    return field.type.value


def _bound(bound: object) -> str | None:
    if bound is None:
        return None
    if isinstance(bound, YearsFromNow):
        return "the current year" + (f" + {bound.offset}" if bound.offset else "")
    return str(bound)


def _rules(field: Field) -> str:
    rules = []
    if field.required:
        rules.append("required")
    if field.required_if is not None:
        rules.append(f"required when {_condition(field.required_if)}")
    if field.relevant is not None:
        rules.append(f"applies when {_condition(field.relevant)}")
    if field.max_length:
        rules.append(f"max {field.max_length} characters")
    if field.max_items:
        rules.append(f"max {field.max_items} items")
    low, high = _bound(field.minimum), _bound(field.maximum)
    if low is not None:
        rules.append(f"{'>' if field.minimum_exclusive else '≥'} {low}")
    if high is not None:
        rules.append(f"≤ {high}")
    if field.unit:
        rules.append(f"unit {field.unit}")
    if field.default not in (None, [], ""):
        rules.append(f"default `{str(field.default).lower()}`")
    if field.must_be_true:
        rules.append("must be true")
    return "; ".join(rule for rule in rules if rule)


def render() -> str:
    parts = [HEADER]
    for kind in (*KINDS, FILE_KIND, CHECKIN_KIND):
        form = form_for(kind)
        parts.append(f"\n## {kind}\n\n| field | type | label | rules |\n|---|---|---|---|\n")
        for field in form.fields:
            parts.append(f"| `{field.name}` | {_type(field)} | {field.label} | {_rules(field)} |\n")
    parts.append(
        "\n## Code lists\n\n`relay-app codes LIST` prints each list with labels in the chosen language.\n"
    )
    for name in codelists.names():
        code_list = codelists.get(name)
        parts.append(f"\n### {name}\n\n")
        if name in CLDR_LISTS:
            parts.append(f"{CLDR_LISTS[name]} ({len(code_list)} codes).\n")
            continue
        parts.append(f"{code_list.title()}.\n\n| code | label |\n|---|---|\n")
        for entry in code_list:
            parts.append(f"| `{entry.code}` | {entry.label} |\n")
    return "".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET} is stale: run scripts/data_model_doc.py", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
