"""Every translated message can be found by the extractor: none hides inside an f-string.

Python before 3.12 reads an f-string as one token, so ``pybabel extract`` never sees a ``_()``
written inside one: the message never reaches the catalogs and shows in English in every language
(this is how "Select a record to see its details." stayed English in French and Spanish).
"""

from __future__ import annotations

import ast

from tests.i18n.catalogs import REPO

TRANSLATING = {"_", "N_", "ngettext", "pgettext", "npgettext", "gettext"}


def _hidden_messages(source: str) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Name)
                and inner.func.id in TRANSLATING
                and any(isinstance(arg, ast.Constant) for arg in inner.args)  # a msgid, not a label
            ):
                found.append((inner.lineno, ast.unparse(inner)))
    return found


def test_the_check_sees_a_message_inside_an_f_string() -> None:
    assert _hidden_messages("x = f'<p>{escape(_(\"Hello\"))}</p>'") == [(1, "_('Hello')")]
    assert _hidden_messages("hello = _('Hello')\nx = f'<p>{hello}</p>'") == []
    assert _hidden_messages("x = f'<th>{_(field.label)}</th>'") == []  # extracted where defined


def test_no_translated_message_is_written_inside_an_f_string() -> None:
    hidden = [
        f"{path.relative_to(REPO)}:{line}: {call}"
        for folder in ("relay_app", "relay_central")
        for path in sorted((REPO / folder).rglob("*.py"))
        for line, call in _hidden_messages(path.read_text(encoding="utf-8"))
    ]
    assert hidden == [], "take these out of their f-string:\n" + "\n".join(hidden)
