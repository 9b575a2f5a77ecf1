"""A 50,000-row partner list as French Excel saves it, through the import engine (run by hand).

    .venv/bin/python benchmarks/imports.py [--rows 50000] [--bad 150] [--data-dir DIR]

The file is a cp1252, ;-separated CSV with French headers, code-list labels in French ("Sénégal",
"Recherche et formation", "Membre"), decimal commas and phone numbers with leading zeros; ``--bad``
rows carry an error (a bad email, an unknown college, an empty name). Timed, as the wizard runs them:

- preview: read the file (encoding and separator detected), map the columns, check every row of
  the whole file (labels to codes, the one validator, references) and look for duplicates; the first
  one in a process also loads the French and Spanish catalogs, the code lists' labels in three
  languages and charset-normalizer, so it is timed apart from a second one;
- import of the valid rows: one write transaction with the outbox entries and the undo batch
  (the backup taken before it is counted too);
- then the same file's preview again against the 50,000 records now stored (every row a
  duplicate found by email);
- a second file with the same emails and other names, cities and colleges imported with
  "update" (every valid row changes its record; the values replaced are kept in the batch), and
  the undo of that batch, which puts those values back as edits that sync;
- undo of the first batch.

The preview also looks for rows of the file that repeat each other (by email, website, phone and
name + country); this file has none, so every row's keys are computed and looked up.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from relay_app.config import resolve_paths
from relay_app.imports import Duplicates, check, list_batches, open_import, undo_batch, write
from relay_app.services import open_services

HEADERS = ["Nom", "Sigle", "Membre ou partenaire", "Collège", "Pays", "Ville", "Latitude", "Longitude",
           "Courriel", "Téléphone", "Langues", "Activités"]
COUNTRIES = ("Sénégal", "Mali", "Burkina Faso", "Côte d’Ivoire", "Ghana", "Kenya", "France", "Pérou",
             "Brésil", "Inde", "Maroc", "Niger")
COLLEGES = (
    "Recherche et formation", "Société civile et ONG", "Organisations d’agriculteurs et de forestiers",
    "Entreprises privées",
)
WORDS = ("sols", "carbone", "agroforesterie", "compost", "élevage", "semences", "coopérative", "réseau",
         "paysans", "forêt", "eau", "Sahel", "climat", "formation", "terres", "vivantes")
BAD = (("Courriel", "pas-un-courriel"), ("Collège", "astronautes"), ("Nom", ""))


def make_file(path: Path, rows: int, bad: int, seed: int = 4) -> None:
    chance = random.Random(seed)
    bad_rows = set(chance.sample(range(rows), bad))
    with path.open("w", encoding="cp1252", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        for index in range(rows):
            name = " ".join(chance.sample(WORDS, 3)).capitalize() + f" {index}"
            row = {
                "Nom": name, "Sigle": "".join(w[0] for w in name.split()[:3]).upper(),
                "Membre ou partenaire": chance.choice(("Membre", "Partenaire")),
                "Collège": chance.choice(COLLEGES), "Pays": chance.choice(COUNTRIES),
                "Ville": chance.choice(("Thiès", "Ségou", "Bobo-Dioulasso", "Kisumu", "Cusco", "")),
                "Latitude": f"{chance.uniform(-30, 30):.4f}".replace(".", ","),
                "Longitude": f"{chance.uniform(-80, 80):.4f}".replace(".", ","),
                "Courriel": f"contact{index}@exemple.org",
                "Téléphone": f"0{chance.randrange(600000000, 799999999)}",
                "Langues": chance.choice(("Français", "Français; Anglais", "Espagnol", "")),
                "Activités": " ".join(chance.choices(WORDS, k=12)),
            }
            if index in bad_rows:
                header, value = BAD[index % len(BAD)]
                row[header] = value
            writer.writerow([row[header] for header in HEADERS])


def timed(label: str, work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label:<58} {elapsed:7.2f} s   (peak memory so far {peak:.0f} MB)", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--bad", type=int, default=150)
    parser.add_argument("--data-dir")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        data_dir = Path(args.data_dir or Path(scratch) / "data")
        source = Path(scratch) / "partenaires.csv"
        make_file(source, args.rows, args.bad)
        size = source.stat().st_size / 1e6
        print(f"{args.rows:,} rows ({args.bad} with an error), {size:.1f} MB, cp1252 ;")
        with open_services(resolve_paths(data_dir)) as services:
            partners = services.records("partners")

            def preview():  # type: ignore[no-untyped-def]
                return check(partners, open_import(partners, source))

            cold = timed("preview, first in this process: read, map, check, duplicates", preview)
            print(f"  valid {cold.valid_count:,}, invalid {cold.invalid_count:,}, "
                  f"encoding {cold.file.sheet.encoding}, separator {cold.file.sheet.delimiter!r}")
            del cold  # the wizard keeps one preview at a time
            first = timed("preview again (catalogs, code lists and libraries loaded)", preview)
            outcome = timed("import of the valid rows (backup, one transaction, batch)",
                            lambda checked=first: write(partners, checked, valid_only=True))
            print(f"  created {outcome.created:,}")
            del first
            again = timed("preview again against the stored records", preview)
            print(f"  duplicates found {len(again.duplicates):,}")
            del again
            [batch] = list_batches(services.database)
            changed = Path(scratch) / "partenaires-2.csv"
            make_file(changed, args.rows, args.bad, seed=5)
            updates = timed(
                "import of a second file, every row updating its record",
                lambda: write(partners, check(partners, open_import(partners, changed)), valid_only=True,
                              duplicates=Duplicates.UPDATE),
            )
            print(f"  updated {updates.updated:,}, created {updates.created:,}")
            assert updates.batch_id is not None
            restored = timed(
                "undo of the second import (the replaced values put back)",
                lambda: undo_batch(services.database, partners, updates.batch_id or ""),
            )
            print(f"  restored {restored.restored:,}")
            result = timed(
                "undo of the whole first batch", lambda: undo_batch(services.database, partners, batch.id)
            )
            print(f"  deleted {result.deleted:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
