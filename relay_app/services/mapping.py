"""What the map, its exports and ``relay-app partners nearest`` / ``practices by-area`` read.

Records come through ``RecordService`` with the list's own search and filters, so the map shows
exactly what the list shows; positions are turned into markers, neighbours and areas by the
Qt-free ``relay_app.geo`` core.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from relay_app.geo.areas import AreaSummary, summarise_areas
from relay_app.geo.clustering import ClusterIndex, Columns
from relay_app.geo.content import MapContent
from relay_app.geo.nearest import NearestIndex
from relay_app.i18n import _
from relay_app.services.errors import ServiceError
from relay_app.services.records import RecordService

# The code that colours a kind's markers, and the fields its marker's title is made of.
MARKER_GROUP = {"partners": "college", "practices": "category"}
_TITLE_FIELD = {"partners": "name", "practices": "title"}
_AREA_FIELDS = ("climate_zone", "soil_group", "land_use", "soc_before_t_ha", "soc_after_t_ha",
                "soc_years", "soc_depth_cm")
_CONTACT_FIELDS = ("name", "acronym", "city", "country", "email", "phone", "website")
RECHECK_SECONDS = 2.0


class NoPosition(ServiceError):
    def __init__(self, title: str) -> None:
        super().__init__(
            _("{title} has no position: add its latitude and longitude to find its neighbours.")
            .format(title=title)
        )


@dataclass(frozen=True)
class MapRecords:
    kind: str
    placed: Columns  # the records with a position
    unplaced: int  # records the list shows that have no position


@dataclass(frozen=True)
class NearbyPartner:
    id: str
    name: str
    distance_km: float
    city: str | None
    country: str | None
    email: str | None
    phone: str | None
    website: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "distance_km": round(self.distance_km, 3),
            "city": self.city, "country": self.country, "email": self.email, "phone": self.phone,
            "website": self.website,
        }


class MapService:
    def __init__(self, partners: RecordService, practices: RecordService) -> None:
        self._services = {"partners": partners, "practices": practices}
        self._index: tuple[tuple[Any, ...], NearestIndex] | None = None
        self._index_writes = -1
        self._index_checked = 0.0

    def records(self, kind: str, search: str | None = None,
                filters: Mapping[str, Any] | None = None) -> MapRecords:
        rows = self._services[kind].columns(("latitude", "longitude", MARKER_GROUP[kind], _TITLE_FIELD[kind]),
                                            search or None, dict(filters or {}))
        columns = Columns([], [], [], [], [])
        unplaced = 0
        for record_id, latitude, longitude, group, title in rows:
            if latitude is None or longitude is None:
                unplaced += 1
                continue
            columns.ids.append(record_id)
            columns.latitudes.append(float(latitude))
            columns.longitudes.append(float(longitude))
            columns.groups.append(group or "")
            columns.titles.append(title or "")
        return MapRecords(kind, columns, unplaced)

    def content(self, kind: str, search: str | None = None,
                filters: Mapping[str, Any] | None = None) -> MapContent:
        """The markers of ``kind`` that the list with this search and filters shows, clustered."""
        found = self.records(kind, search, filters)
        index = ClusterIndex(columns=found.placed)
        index.prepare(range(1))  # the world's view, before the map shows it; the rest later
        return MapContent(kind, index, found.unplaced)

    # -- neighbours ---------------------------------------------------------------------------------

    def nearest_partners(self, partner_id: str, limit: int = 5) -> list[NearbyPartner]:
        """The ``limit`` partners nearest to this one, nearest first (NotFound, NoPosition)."""
        partner = self._services["partners"].get(partner_id)
        latitude, longitude = partner.values.get("latitude"), partner.values.get("longitude")
        if latitude is None or longitude is None:
            raise NoPosition(partner.summary)
        return self.nearest_partners_to(float(latitude), float(longitude), limit, exclude=(partner_id,))

    def nearest_partners_to(self, latitude: float, longitude: float, limit: int = 5,
                            exclude: tuple[str, ...] = ()) -> list[NearbyPartner]:
        found = self._partner_index().nearest(latitude, longitude, limit, frozenset(exclude))
        if not found:
            return []
        form = self._services["partners"].form
        details = self._contacts([neighbour.key for neighbour in found])
        nearby = []
        for neighbour in found:
            values = details.get(neighbour.key)
            if values is None:
                continue
            nearby.append(NearbyPartner(
                neighbour.key, form.summary(values), neighbour.distance_km, values.get("city"),
                values.get("country"), values.get("email"), values.get("phone"), values.get("website"),
            ))
        return nearby

    def _contacts(self, ids: list[str]) -> dict[str, dict[str, Any]]:
        # One get per neighbour: each finds its row by id at once, where one "id IN (...)" query
        # let SQLite scan the index of deleted flags (12 ms among 20,000 partners).
        service = self._services["partners"]
        contacts = {}
        for record_id in ids:
            values = service.get(record_id).values
            contacts[record_id] = {name: values.get(name) for name in _CONTACT_FIELDS}
        return contacts

    def _partner_index(self) -> NearestIndex:
        """The k-d tree of every placed partner, rebuilt only when partners changed.

        A write of this process is known at once (``Database.writes``); another program's (the
        command line beside the window) by a fingerprint of the table, read again at most every
        ``RECHECK_SECONDS``: that read costs about 10 ms among 20,000 partners."""
        service = self._services["partners"]
        database = service.database
        now = time.monotonic()
        if (self._index is not None and self._index_writes == database.writes
                and now - self._index_checked < RECHECK_SECONDS):
            return self._index[1]
        writes = database.writes
        stamp = service.fingerprint(("latitude", "longitude"))
        self._index_writes, self._index_checked = writes, now
        if self._index is None or self._index[0] != stamp:
            rows = service.columns(("latitude", "longitude"))
            self._index = (stamp, NearestIndex([
                (record_id, float(latitude), float(longitude))
                for record_id, latitude, longitude in rows
                if latitude is not None and longitude is not None
            ]))
        return self._index[1]

    # -- areas --------------------------------------------------------------------------------------

    def practices_by_area(self, search: str | None = None,
                          filters: Mapping[str, Any] | None = None) -> list[AreaSummary]:
        rows = self._services["practices"].columns(_AREA_FIELDS, search or None, dict(filters or {}))
        return summarise_areas(
            (row[0], dict(zip(_AREA_FIELDS, row[1:], strict=True))) for row in rows
        )
