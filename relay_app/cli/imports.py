"""`relay-app records import` over the import engine, and `relay-app imports list|undo`.

The engine is the wizard's: the same reading, mapping, values, duplicates and batches.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from relay_app.cli.output import print_error, print_json
from relay_app.config import Paths
from relay_app.i18n import _, ngettext
from relay_app.imports import DuplicateMatch, Duplicates, Preview, check, open_import, write, write_rejects
from relay_app.imports.engine import ImportOutcome
from relay_app.services.importing import RowError

MakeParser = Callable[..., argparse.ArgumentParser]
POLICIES = (Duplicates.SKIP.value, Duplicates.UPDATE.value, Duplicates.CREATE.value)


def add_import_options(importing: argparse.ArgumentParser) -> None:
    """The engine's options on `records import KIND FILE`."""
    importing.add_argument(
        "--mapping", metavar="FILE.json",
        help=_("which column fills which field: a JSON object {\"column\": \"field\" or null}"),
    )
    importing.add_argument(
        "--valid-only", action="store_true",
        help=_("import the valid rows and report the others (default: every row or none)"),
    )
    importing.add_argument(
        "--rejects", metavar="FILE.xlsx",
        help=_("save the rows not imported, with an errors column, to fix and import again"),
    )
    importing.add_argument(
        "--duplicates", choices=POLICIES,
        help=_("rows that look like existing records or earlier rows of the file: skip them, update "
               "those records, or create new ones (default: report them and import nothing for them)"),
    )
    importing.set_defaults(handler=import_file)


def register(
    commands: Any, make_parser: MakeParser, json_flag: Callable[[argparse.ArgumentParser], None]
) -> None:
    group = make_parser(commands, "imports", _("the imports made: list them, undo one"))
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = make_parser(actions, "list", _("every import, newest first"))
    json_flag(listing)
    listing.set_defaults(handler=list_imports)
    undo = make_parser(actions, "undo", _(
        "delete the records an import created and put back those it updated, if none was changed since"
    ))
    undo.add_argument("batch", metavar="BATCH_ID", help=_("the import's id (see `imports list`)"))
    undo.set_defaults(handler=undo_import)


def import_file(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.services import open_services

    with open_services(paths) as services:
        service = services.records(args.kind)
        opened = open_import(service, args.file, mapping_file=args.mapping)
        for column in opened.mapping.ignored():
            print_error(_ignored_column(column.header, column.suggestions))
        preview = check(service, opened)
        outcome = None
        if not args.dry_run:
            policy = Duplicates(args.duplicates) if args.duplicates else None
            outcome = write(service, preview, valid_only=args.valid_only, duplicates=policy)
    rejects_saved = None
    if args.rejects and preview.invalid_count:
        rejects_saved = write_rejects(preview, args.rejects)
    if args.json:
        print_json(_report_json(preview, outcome, args.dry_run))
    for error in preview.errors:
        print_error(_row_error(error))
    if outcome is not None:
        for match in outcome.held_back:
            print_error(_held_back(match))
    if rejects_saved is not None:
        print_error(
            ngettext(
                "{count} row not imported was saved to {file}.",
                "{count} rows not imported were saved to {file}.",
                rejects_saved,
            ).format(count=rejects_saved, file=Path(args.rejects).name)
        )
    if preview.invalid_count and (args.dry_run or not args.valid_only):
        print_error(_failure_summary(preview, args.dry_run))
        return 1
    if not args.json:
        print(_dry_run_summary(preview) if outcome is None else _success_summary(outcome))
    return 0


def _held_back(match: DuplicateMatch) -> str:
    if match.same_row is not None:
        return _("row {row}: same as row {earlier} “{existing}” ({reason}); not imported "
                 "(see --duplicates).").format(
            row=match.row, earlier=match.same_row, existing=match.existing, reason=match.reason_text()
        )
    return _("row {row}: looks like “{existing}” ({reason}); not imported (see --duplicates).").format(
        row=match.row, existing=match.existing, reason=match.reason_text()
    )


def _ignored_column(header: str, suggestions: tuple[str, ...]) -> str:
    if suggestions:
        return _("Column “{column}” ignored: it matches no field (closest: {fields}).").format(
            column=header, fields=", ".join(suggestions)
        )
    return _("Column “{column}” ignored: it matches no field.").format(column=header)


def _row_error(error: RowError) -> str:
    if error.field:
        return _("row {row}, field {field}: {message}").format(
            row=error.row, field=error.field, message=error.message
        )
    return _("row {row}: {message}").format(row=error.row, message=error.message)


def _failure_summary(preview: Preview, dry_run: bool) -> str:
    rows, total = preview.invalid_count, len(preview.rows)
    if dry_run:
        text = ngettext(
            "Check failed: {rows} row out of {total} has errors.",
            "Check failed: {rows} rows out of {total} have errors.",
            rows,
        )
    else:
        text = ngettext(
            "Nothing was imported: {rows} row out of {total} has errors.",
            "Nothing was imported: {rows} rows out of {total} have errors.",
            rows,
        )
    return text.format(rows=rows, total=total)


def _dry_run_summary(preview: Preview) -> str:
    return ngettext(
        "Checked {total} row: no errors. Nothing was written (dry run).",
        "Checked {total} rows: no errors. Nothing was written (dry run).",
        len(preview.rows),
    ).format(total=len(preview.rows))


def _success_summary(outcome: ImportOutcome) -> str:
    text = ngettext(
        "{total} row read: {created} created, {updated} updated, {unchanged} unchanged.",
        "{total} rows read: {created} created, {updated} updated, {unchanged} unchanged.",
        outcome.total,
    ).format(
        total=outcome.total, created=outcome.created, updated=outcome.updated, unchanged=outcome.unchanged
    )
    extra = []
    if outcome.invalid:
        extra.append(ngettext("{count} row with errors left out.", "{count} rows with errors left out.",
                              outcome.invalid).format(count=outcome.invalid))
    if outcome.skipped:
        extra.append(ngettext("{count} duplicate skipped.", "{count} duplicates skipped.",
                              outcome.skipped).format(count=outcome.skipped))
    if outcome.merged:
        extra.append(ngettext(
            "{count} row repeating an earlier row of the file went onto its record.",
            "{count} rows repeating earlier rows of the file went onto their records.",
            outcome.merged,
        ).format(count=outcome.merged))
    if outcome.held_back:
        extra.append(ngettext(
            "{count} possible duplicate not imported (choose with --duplicates).",
            "{count} possible duplicates not imported (choose with --duplicates).",
            len(outcome.held_back),
        ).format(count=len(outcome.held_back)))
    if outcome.batch_id:
        extra.append(_("Undo with: relay-app imports undo {batch}").format(batch=outcome.batch_id))
    return " ".join([text, *extra])


def _report_json(preview: Preview, outcome: ImportOutcome | None, dry_run: bool) -> dict[str, Any]:
    report: dict[str, Any] = {
        "total": len(preview.rows),
        "valid": preview.valid_count,
        "invalid": preview.invalid_count,
        "dry_run": dry_run,
        "file": {
            "type": preview.file.sheet.file_type,
            "encoding": preview.file.sheet.encoding,
            "delimiter": preview.file.sheet.delimiter,
        },
        "mapping": preview.mapping.to_json(),
        "duplicates": [match.to_json() for match in preview.duplicates.values()],
        "errors": [error.to_json() for error in preview.errors],
        "created": 0, "updated": 0, "unchanged": 0,
    }
    if outcome is not None:
        report.update(outcome.to_json())
        report["total"] = len(preview.rows)
    return report


def list_imports(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.imports import list_batches
    from relay_app.services import open_services

    with open_services(paths) as services:
        batches = list_batches(services.database)
    if args.json:
        print_json([batch.to_json() for batch in batches])
        return 0
    if not batches:
        print(_("No imports yet."))
    for batch in batches:
        state = _("undone") if batch.undone_at else ""
        line = _("{id}  {when}  {kind}  {file}: {created} created, {updated} updated").format(
            id=batch.id, when=batch.imported_at.strftime("%Y-%m-%d %H:%M"), kind=batch.kind,
            file=batch.file_name, created=batch.created, updated=batch.updated,
        )
        print(f"{line}  {state}".rstrip())
    return 0


def undo_import(args: argparse.Namespace, paths: Paths) -> int:
    from relay_app.imports import undo_batch
    from relay_app.imports.batches import get_batch, undo_summary
    from relay_app.services import open_services

    with open_services(paths) as services:
        batch = get_batch(services.database, args.batch)
        result = undo_batch(services.database, services.records(batch.kind), args.batch)
    print(undo_summary(result))
    return 0
