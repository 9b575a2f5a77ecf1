"""Text in CSV cells that a spreadsheet would run as a formula, marked as text, and unmarked again.

Any relay can write any text, and a CSV export is opened in a spreadsheet by someone else: a name
like ``=HYPERLINK("http://…?"&A1)`` would run there. Following OWASP's advice on CSV injection, a
text cell whose first character is ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (after
any apostrophes, spaces or line breaks, which spreadsheets may skip) gets an apostrophe in front,
which spreadsheets read as "this is text". The mark applies to text only: numbers from number
fields (a latitude of ``-1.52``) are written as they are and stay numbers, since their digits
cannot hold a formula.

Reading a CSV removes the mark again, so our own export imports unchanged. The mark is reversible
because a value that already starts with apostrophes before a formula character gets one more.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"
_SKIPPED = TEXT_MARK + " \n"  # looked past to find the character a spreadsheet would act on


def _would_run(text: str) -> bool:
    return text.lstrip(_SKIPPED).startswith(FORMULA_STARTS)


def mark_as_text(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet takes for a formula."""
    return TEXT_MARK + text if _would_run(text) else text


def unmark(cell: str) -> str:
    """The value ``mark_as_text`` was given, from the cell it wrote."""
    if cell.startswith(TEXT_MARK) and _would_run(cell[1:]):
        return cell[1:]
    return cell
