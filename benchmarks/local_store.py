"""Local store benchmark: 100,000 mixed records, insert rate, full-text latency, peak memory.

Then the same store encrypted (SQLCipher, a copy made by ``relay-app security encrypt``'s code),
side by side with the clear one: opening (unlocking included), listing and searching.

Run by hand (not in CI):  .venv/bin/python benchmarks/local_store.py [--records 100000] [--data-dir DIR]
The figures go into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from relay_app.config import resolve_paths
from relay_app.services import Services, open_services
from relay_app.store.encrypting import encrypt_store
from relay_app.store.encryption import unlock_with_passphrase
from relay_app.store.unlocked import drop_all
from relay_app.transfer.reading import SourceRow

PASSPHRASE = "benchmark passphrase"

DOMAIN_WORDS = (
    "carbone séquestration sol agroforesterie couvert végétal compost paillage haie semis direct "
    "rotation légumineuse pâturage tournant biochar érosion terrasse zaï demi-lune forêt mangrove "
    "soil carbon cover crop mulch hedgerow grazing restoration fertility drought yield farmer "
    "suelo carbono siembra directa cobertura pastoreo reforestación cosecha agua"
).split()
SYLLABLES = ("ka ri to ne sa lu mo pe di va ro chi na be tu la zo fi gu me ye so pa ni "
             "ké dé ré ño ça").split()


def _vocabulary(rng: random.Random, size: int = 5_000) -> tuple[list[str], list[float]]:
    """Domain words first, then made-up words; Zipf weights, as word use is in real text."""
    words = list(DOMAIN_WORDS)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words, [1 / rank for rank in range(1, len(words) + 1)]


VOCABULARY, WEIGHTS = _vocabulary(random.Random(7))
COUNTRIES = ["SN", "FR", "PE", "KE", "IN", "BR", "MA", "VN", "AR", "BF", "ES", "MX"]
COLLEGES = ["research_education", "civil_society_ngos", "farmers_foresters_organisations",
            "private_companies", "states_local_authorities"]
BATCH = 5_000


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(VOCABULARY, WEIGHTS, k=words))


def _partner(rng: random.Random, index: int) -> dict[str, object]:
    return {
        "name": f"{_text(rng, 3).title()} {index}",
        "kind": rng.choice(["member", "partner"]),
        "college": rng.choice(COLLEGES),
        "country": rng.choice(COUNTRIES),
        "city": rng.choice(["Dakar", "Montpellier", "Lima", "Nairobi", "Pune", "Thiès"]),
        "activities": _text(rng, 25),
        "description": _text(rng, 60),
        "languages": ["fr", "en"],
    }


def _practice(rng: random.Random, index: int) -> dict[str, object]:
    return {
        "title": f"{_text(rng, 4).capitalize()} {index}",
        "summary": _text(rng, 30),
        "description": _text(rng, 120),
        "tutorial_steps": [_text(rng, 8) for _ in range(3)],
        "land_use": rng.choice(["cropland", "grazing_land", "forest_woodland", "mixed"]),
        "category": rng.choice(["agroforestry", "minimal_soil_disturbance", "integrated_soil_fertility"]),
        "country": rng.choice(COUNTRIES),
        "soc_before_t_ha": round(rng.uniform(20, 80), 1),
        "soc_after_t_ha": round(rng.uniform(20, 90), 1),
        "soc_depth_cm": 30,
        "soc_years": rng.randint(3, 20),
    }


def _forum(rng: random.Random, index: int) -> dict[str, object]:
    return {
        "name": f"Forum {index} {_text(rng, 2)}",
        "region": "sub_saharan_africa",
        "city": "Dakar",
        "start_date": "2026-05-04",
        "end_date": "2026-05-06",
        "capacity": 200,
    }


def _registration(rng: random.Random, forum_ids: list[str]) -> dict[str, object]:
    return {
        "forum_id": rng.choice(forum_ids),
        "first_name": rng.choice(["Awa", "Moussa", "José", "Émilie", "Priya", "Wanjiru"]),
        "last_name": rng.choice(["Ndiaye", "Diop", "Pérez", "Dubois", "Sharma", "Kamau"]),
        "organisation": _text(rng, 3),
        "role": rng.choice(["farmer", "researcher", "ngo_staff"]),
        "consent": True,
    }


def _load(services: Services, kind: str, rows: list[dict[str, object]]) -> float:
    started = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        chunk = [SourceRow(number=i + 2, values=v) for i, v in enumerate(rows[start : start + BATCH])]
        report = services.import_rows(kind, chunk)
        if report.errors:
            raise SystemExit(f"{kind}: {report.errors[:3]}")
    return time.perf_counter() - started


def _timed_search(services: Services, kind: str, query: str) -> float:
    started = time.perf_counter()
    services.records(kind).list(search=query, limit=50)
    return (time.perf_counter() - started) * 1000


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--clear-only", action="store_true", help="skip the encrypted comparison")
    args = parser.parse_args()
    rng = random.Random(4_1000)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="relay-bench-"))
    total = args.records
    shares = {"partners": 0.40, "practices": 0.40, "forums": 0.01}
    counts = {kind: int(total * share) for kind, share in shares.items()}
    counts["registrations"] = total - sum(counts.values())

    with open_services(resolve_paths(data_dir)) as services:
        timings: dict[str, float] = {}
        timings["partners"] = _load(
            services, "partners", [_partner(rng, i) for i in range(counts["partners"])]
        )
        timings["practices"] = _load(
            services, "practices", [_practice(rng, i) for i in range(counts["practices"])]
        )
        timings["forums"] = _load(services, "forums", [_forum(rng, i) for i in range(counts["forums"])])
        forum_ids = [record.id for record in services.records("forums").list()]
        timings["registrations"] = _load(
            services, "registrations", [_registration(rng, forum_ids) for _ in range(counts["registrations"])]
        )
        inserted = sum(counts.values())
        insert_seconds = sum(timings.values())

        single = services.records("partners")
        started = time.perf_counter()
        for index in range(500):
            single.create(_partner(rng, 10_000_000 + index))
        single_rate = 500 / (time.perf_counter() - started)

        latencies: dict[str, list[float]] = {"partners": [], "practices": [], "registrations": []}
        for _ in range(args.queries):
            for kind, found in latencies.items():
                # What people type: a word of the corpus, often only its first letters.
                query = rng.choice(VOCABULARY)[: rng.randint(3, 8)]
                found.append(_timed_search(services, kind, query))
        all_latencies = [value for values in latencies.values() for value in values]
        # Worst case: the most frequent words, matching a large share of all records.
        worst = [_timed_search(services, "practices", word) for word in DOMAIN_WORDS[:10] for _ in range(3)]
        database_mb = services.database.path.stat().st_size / 1e6

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"records inserted          {inserted:,} ({', '.join(f'{k} {v:,}' for k, v in counts.items())})")
    print(f"bulk insert rate          {inserted / insert_seconds:,.0f} records/s "
          f"({insert_seconds:.1f} s, batches of {BATCH:,}, validation + outbox + FTS included)")
    print(f"single create rate        {single_rate:,.0f} records/s (one transaction each)")
    for kind, values in latencies.items():
        print(f"FTS {kind:<14}        p50 {statistics.median(values):6.2f} ms   "
              f"p95 {_percentile(values, 0.95):6.2f} ms   (first 50 hits, prefix query)")
    print(f"FTS all kinds             p50 {statistics.median(all_latencies):6.2f} ms   "
          f"p95 {_percentile(all_latencies, 0.95):6.2f} ms   ({len(all_latencies)} queries)")
    print(f"FTS most frequent words   p50 {statistics.median(worst):6.2f} ms   "
          f"p95 {_percentile(worst, 0.95):6.2f} ms   (practices, words in most records)")
    print(f"database file             {database_mb:,.1f} MB")
    print(f"peak memory (max RSS)     {peak_mb:,.0f} MB")
    print(f"data dir                  {data_dir}")
    if not args.clear_only:
        _compare_encrypted(data_dir, args.queries)


def _timed_open(data_dir: Path, encrypted: bool) -> float:
    """Seconds from nothing open to a usable store: unlock (Argon2id) + checks + first read."""
    drop_all()
    started = time.perf_counter()
    paths = resolve_paths(data_dir)
    if encrypted:
        unlock_with_passphrase(paths, PASSPHRASE)
    with open_services(paths) as services:
        services.records("partners").count()
        return time.perf_counter() - started


def _reads(data_dir: Path, encrypted: bool, queries: int) -> dict[str, list[float]]:
    """List (first page, newest first) and search latencies, the same queries for both stores."""
    rng = random.Random(1000)
    drop_all()
    paths = resolve_paths(data_dir)
    if encrypted:
        unlock_with_passphrase(paths, PASSPHRASE)
    timings: dict[str, list[float]] = {"list": [], "count": [], "search": []}
    with open_services(paths) as services:
        for _ in range(queries):
            for kind in ("partners", "practices", "registrations"):
                records = services.records(kind)
                started = time.perf_counter()
                records.list(limit=50)
                timings["list"].append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                records.count()
                timings["count"].append((time.perf_counter() - started) * 1000)
                query = rng.choice(VOCABULARY)[: rng.randint(3, 8)]
                timings["search"].append(_timed_search(services, kind, query))
    return timings


def _compare_encrypted(clear_dir: Path, queries: int) -> None:
    encrypted_dir = clear_dir.with_name(clear_dir.name + "-encrypted")
    shutil.rmtree(encrypted_dir, ignore_errors=True)
    shutil.copytree(clear_dir, encrypted_dir)
    started = time.perf_counter()
    encrypt_store(resolve_paths(encrypted_dir), PASSPHRASE)
    encrypt_seconds = time.perf_counter() - started
    drop_all()
    for folder, encrypted in ((clear_dir, False), (encrypted_dir, True)):
        _timed_open(folder, encrypted)  # the day's backup is taken here, not in the figures below
    opens = {encrypted: [_timed_open(folder, encrypted) for _ in range(5)]
             for folder, encrypted in ((clear_dir, False), (encrypted_dir, True))}
    # Warm both page caches once, then alternate so a busy machine weighs on both alike.
    _reads(clear_dir, False, 5)
    _reads(encrypted_dir, True, 5)
    clear, sealed = _reads(clear_dir, False, queries), _reads(encrypted_dir, True, queries)
    size = (encrypted_dir / "relay.sqlite3").stat().st_size / 1e6
    print()
    print(f"encrypting the store      {encrypt_seconds:.1f} s (export, verify, swap; {size:,.1f} MB)")
    print(f"{'':26}{'clear':>12}{'encrypted':>12}{'ratio':>8}")
    rows = [("open (median of 5)", statistics.median(opens[False]) * 1000,
             statistics.median(opens[True]) * 1000)]
    for name in ("list", "count", "search"):
        rows.append((f"{name} p50", statistics.median(clear[name]), statistics.median(sealed[name])))
        rows.append((f"{name} p95", _percentile(clear[name], 0.95), _percentile(sealed[name], 0.95)))
    for label, plain, encrypted in rows:
        print(f"{label:<26}{plain:9.2f} ms{encrypted:9.2f} ms{encrypted / plain:7.2f}x")
    print(f"encrypted data dir        {encrypted_dir}")


if __name__ == "__main__":
    main()
