"""What each record list shows: its columns, its filters and its wording."""

from __future__ import annotations

from dataclasses import dataclass

from relay_app.forms import FieldType, form_for
from relay_app.i18n import N_

# The filters people asked for; each list offers those its form has as code-list fields.
FILTER_FIELDS: tuple[str, ...] = (
    "country",
    "region",
    "college",
    "land_use",
    "climate_zone",
    "status",
)


@dataclass(frozen=True)
class KindView:
    kind: str
    columns: tuple[str, ...]
    icon: str
    one: str  # N_ msgid naming one record, for titles such as "New partner"
    new_title: str
    deleted_message: str

    @property
    def filters(self) -> tuple[str, ...]:
        form = form_for(self.kind)
        names = set(form.field_names())
        return tuple(
            name
            for name in FILTER_FIELDS
            if name in names and form.field(name).type is FieldType.CHOICE
        )


KIND_VIEWS: dict[str, KindView] = {
    "partners": KindView(
        "partners",
        ("name", "acronym", "college", "country", "region", "city", "status"),
        "partners",
        N_("Partner"),
        N_("New partner"),
        N_("Partner deleted: {title}"),
    ),
    "practices": KindView(
        "practices",
        ("title", "land_use", "category", "climate_zone", "country", "start_year"),
        "practices",
        N_("Practice"),
        N_("New practice"),
        N_("Practice deleted: {title}"),
    ),
    "forums": KindView(
        "forums",
        ("name", "region", "country", "city", "start_date", "end_date", "capacity"),
        "forums",
        N_("Forum"),
        N_("New forum"),
        N_("Forum deleted: {title}"),
    ),
    "registrations": KindView(
        "registrations",
        ("last_name", "first_name", "organisation", "country", "role", "status"),
        "forums",
        N_("Registration"),
        N_("New registration"),
        N_("Registration deleted: {title}"),
    ),
}
