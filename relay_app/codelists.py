"""Code lists: the fixed vocabularies behind choice fields (colleges, regions, soil groups, ...).

Most lists are JSON files in ``resources/codelists/`` whose English labels are gettext msgids,
translated each time they are shown, so a language switch takes effect at once. Countries and
languages are different: their codes are ISO 3166-1 alpha-2 and ISO 639-1 and their names come
from CLDR (through Babel) in the current language, never from our catalogs.

Loading is cached; translated labels are not (CLDR names are cached per language only).
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType
from typing import Any

from babel import Locale

from relay_app.i18n import _, current_language
from relay_app.resources import codelists_dir

_REGIONS_FILE = "country_regions.json"

# CLDR territory codes that are not countries a partner can be in: groupings and pseudo-locales,
# ISO "exceptionally reserved" codes for parts of other countries, and Antarctica, which belongs
# to no UN M49 sub-region.
_NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
    | {"AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
    | {"AQ"}
)
# ISO 639-1 withdrew Serbo-Croatian; CLDR still names it.
_NOT_LANGUAGES = frozenset({"sh"})


@dataclass(frozen=True)
class Code:
    """One entry of a list. ``label`` is the English msgid, or the English CLDR name."""

    code: str
    label: str
    extra: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), compare=False)


def sort_key(text: str) -> tuple[str, str]:
    """A locale-tolerant ordering: accents and case are ignored first, then break ties.

    Folding to the base letter puts "Égypte" among the E's and "Perú" between "Paraguay" and
    "Polonia", which is what readers of French, Spanish and English expect in a list.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return base.casefold(), text.casefold()


class CodeList:
    """An ordered, immutable list of codes with labels in the current language."""

    def __init__(
        self,
        name: str,
        title: str,
        codes: tuple[Code, ...],
        *,
        translate: Callable[[Code], str],
        sort_by_label: bool = False,
    ) -> None:
        self.name = name
        self._title = title
        self._codes = codes
        self._by_code = {entry.code: entry for entry in codes}
        self._translate = translate
        self._sort_by_label = sort_by_label

    def __repr__(self) -> str:
        return f"CodeList({self.name!r}, {len(self._codes)} codes)"

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._by_code

    def __iter__(self) -> Iterator[Code]:
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    def codes(self) -> tuple[str, ...]:
        return tuple(entry.code for entry in self._codes)

    def entry(self, code: str) -> Code:
        """The ``Code`` for ``code``; KeyError when it is not in the list."""
        try:
            return self._by_code[code]
        except KeyError:
            raise KeyError(f"{code!r} is not a code of the {self.name!r} list") from None

    def label(self, code: str) -> str:
        """The label of ``code`` in the current language.

        An unknown code (for example a value stored before a list changed) is shown as is
        rather than hidden.
        """
        entry = self._by_code.get(code)
        return self._translate(entry) if entry is not None else code

    def choices(self) -> list[tuple[str, str]]:
        """(code, translated label) pairs for pickers.

        Countries and languages are sorted by their label in the current language; the other
        lists keep their defined order, which carries meaning (the WRB key, the IPCC zones).
        """
        pairs = [(entry.code, self._translate(entry)) for entry in self._codes]
        if self._sort_by_label:
            pairs.sort(key=lambda pair: sort_key(pair[1]))
        return pairs

    def title(self) -> str:
        return _(self._title)

    def find(self, text: str) -> str | None:
        """The code matching ``text`` exactly or, failing that, regardless of case."""
        if text in self._by_code:
            return text
        folded = text.casefold()
        for code in self._by_code:
            if code.casefold() == folded:
                return code
        return None


def _gettext_label(entry: Code) -> str:
    return _(entry.label)


@cache
def _cldr_names(kind: str, language: str) -> Mapping[str, str]:
    locale = Locale.parse(language)
    names = locale.territories if kind == "cldr_territories" else locale.languages
    return MappingProxyType(dict(names))


def _cldr_translator(kind: str) -> Callable[[Code], str]:
    def translate(entry: Code) -> str:
        name = _cldr_names(kind, current_language()).get(entry.code, entry.label)
        if kind == "cldr_languages":
            # French and Spanish write language names in lower case; CLDR capitalises them
            # when they stand alone in a list or menu, as they do here.
            name = name[:1].upper() + name[1:]
        return name

    return translate


def _cldr_codes(kind: str) -> tuple[Code, ...]:
    english = _cldr_names(kind, "en")
    if kind == "cldr_territories":
        keep = [c for c in english if len(c) == 2 and c.isalpha() and c.isupper()]
        keep = [c for c in keep if c not in _NOT_COUNTRIES]
    else:
        keep = [c for c in english if len(c) == 2 and c.isalpha() and c.islower()]
        keep = [c for c in keep if c not in _NOT_LANGUAGES]
    return tuple(Code(code, english[code]) for code in sorted(keep))


def _read_json(path_name: str) -> dict[str, Any]:
    with (codelists_dir() / path_name).open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"Code list file {path_name} must hold a JSON object")
    return data


@cache
def _list_names() -> tuple[str, ...]:
    found = []
    for path in sorted(codelists_dir().glob("*.json")):
        if path.name == _REGIONS_FILE:
            continue
        found.append(path.stem)
    return tuple(found)


def names() -> list[str]:
    """The names of every code list, alphabetically."""
    return list(_list_names())


@cache
def get(name: str) -> CodeList:
    """The code list called ``name``; KeyError naming the known lists otherwise."""
    if name not in _list_names():
        known = ", ".join(_list_names())
        raise KeyError(f"Unknown code list {name!r}; known lists: {known}")
    data = _read_json(f"{name}.json")
    title = str(data["title"])
    source = data.get("source")
    if source in ("cldr_territories", "cldr_languages"):
        return CodeList(
            name,
            title,
            _cldr_codes(source),
            translate=_cldr_translator(source),
            sort_by_label=True,
        )
    codes = tuple(
        Code(
            str(item["code"]),
            str(item["label"]),
            MappingProxyType({k: v for k, v in item.items() if k not in ("code", "label")}),
        )
        for item in data["codes"]
    )
    return CodeList(name, title, codes, translate=_gettext_label)


@cache
def _country_regions() -> Mapping[str, str]:
    return MappingProxyType(dict(_read_json(_REGIONS_FILE)["regions"]))


def region_of_country(country: str) -> str | None:
    """The UN M49 sub-region code (a ``regions`` code) of an ISO alpha-2 country, or None."""
    if not isinstance(country, str):
        return None
    return _country_regions().get(country.strip().upper())
