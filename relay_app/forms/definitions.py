"""The four record kinds. Field names and their order are a public contract: the database,
the wire schema, CSV/XLSX column headers and the central platform all use them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from relay_app import codelists
from relay_app.forms.fields import Field, YearsFromNow
from relay_app.forms.fields import FieldType as T
from relay_app.forms.form import Form
from relay_app.forms.relevance import AllSet, AnySet, Equals, IsSet
from relay_app.forms.rules import (
    ContentHash,
    CoordinatesPair,
    DateOrder,
    MediaType,
    RegionFromCountry,
)
from relay_app.i18n import N_, _


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    return "" if value is None else str(value).strip()


def _or_untitled(text: str) -> str:
    return text or _("(untitled)")


def _partner_summary(values: Mapping[str, Any]) -> str:
    name, acronym = _text(values, "name"), _text(values, "acronym")
    if name and acronym:
        return _("{name} ({acronym})").format(name=name, acronym=acronym)
    return _or_untitled(name or acronym)


def _practice_summary(values: Mapping[str, Any]) -> str:
    return _or_untitled(_text(values, "title"))


def _forum_summary(values: Mapping[str, Any]) -> str:
    return _or_untitled(_text(values, "name"))


def _registration_summary(values: Mapping[str, Any]) -> str:
    first, last = _text(values, "first_name"), _text(values, "last_name")
    if first and last:
        return _("{first_name} {last_name}").format(first_name=first, last_name=last)
    return _or_untitled(first or last)


def _checkin_summary(values: Mapping[str, Any]) -> str:
    scanned = values.get("scanned_at")
    when = scanned.isoformat(sep=" ", timespec="minutes") if isinstance(scanned, datetime) else ""
    direction = codelists.get("checkin_directions").label(_text(values, "direction"))
    return _("{direction} at {time}").format(direction=direction, time=when)


def _file_summary(values: Mapping[str, Any]) -> str:
    return _or_untitled(_text(values, "caption") or _text(values, "filename"))


def _latitude() -> Field:
    return Field(
        "latitude", T.DECIMAL, N_("Latitude"),
        help=N_("Decimal degrees (WGS 84), positive north of the equator."),
        minimum=-90, maximum=90, unit=N_("°"),
    )


def _longitude() -> Field:
    return Field(
        "longitude", T.DECIMAL, N_("Longitude"),
        help=N_("Decimal degrees (WGS 84), positive east of Greenwich."),
        minimum=-180, maximum=180, unit=N_("°"),
    )


PARTNERS = Form(
    kind="partners",
    label=N_("Partners"),
    fields=(
        Field("name", T.TEXT, N_("Name"), required=True, max_length=200),
        Field("acronym", T.TEXT, N_("Acronym"), max_length=30),
        Field("kind", T.CHOICE, N_("Member or partner"), required=True, codelist="partner_kinds"),
        Field("college", T.CHOICE, N_("College"), required=True, codelist="colleges"),
        Field("country", T.CHOICE, N_("Country"), required=True, codelist="countries"),
        Field(
            "region", T.CHOICE, N_("Region"), codelist="regions",
            help=N_("Filled in from the country when left empty."),
        ),
        Field("city", T.TEXT, N_("City"), max_length=100),
        Field("address", T.LONG_TEXT, N_("Address"), max_length=500),
        _latitude(),
        _longitude(),
        Field("website", T.URL, N_("Website"), max_length=300),
        Field("email", T.EMAIL, N_("Email"), max_length=254),
        Field("phone", T.PHONE, N_("Phone"), max_length=40),
        Field("languages", T.MULTI_CHOICE, N_("Languages"), codelist="languages"),
        Field("activities", T.LONG_TEXT, N_("Activities"), max_length=5000),
        Field("interests", T.LONG_TEXT, N_("Interests"), max_length=5000),
        Field("description", T.LONG_TEXT, N_("Description"), max_length=10000),
        Field(
            "status", T.CHOICE, N_("Status"), codelist="partner_statuses", default="active"
        ),
    ),
    summarize=_partner_summary,
    derivations=(RegionFromCountry(),),
    rules=(CoordinatesPair(),),
)

_SOC_GIVEN = AnySet("soc_before_t_ha", "soc_after_t_ha")
_SOC_BOTH = AllSet("soc_before_t_ha", "soc_after_t_ha")

PRACTICES = Form(
    kind="practices",
    label=N_("Practices"),
    fields=(
        Field("title", T.TEXT, N_("Title"), required=True, max_length=200),
        Field("summary", T.LONG_TEXT, N_("Summary"), max_length=1000),
        Field("description", T.LONG_TEXT, N_("Description"), max_length=20000),
        Field(
            "tutorial_steps", T.TEXT_LIST, N_("Tutorial steps"),
            help=N_("One step per entry, in the order they are done."),
            max_length=2000, max_items=50,
        ),
        Field("conceptual_basis", T.CHOICE, N_("Conceptual basis"), codelist="conceptual_bases"),
        Field("land_use", T.CHOICE, N_("Land use"), required=True, codelist="land_uses"),
        Field(
            "category", T.CHOICE, N_("Practice category"), required=True,
            codelist="practice_categories",
        ),
        Field("climate_zone", T.CHOICE, N_("Climate zone (IPCC)"), codelist="climate_zones"),
        Field("soil_group", T.CHOICE, N_("Soil group (WRB)"), codelist="soil_groups"),
        Field("country", T.CHOICE, N_("Country"), required=True, codelist="countries"),
        Field(
            "region", T.CHOICE, N_("Region"), codelist="regions",
            help=N_("Filled in from the country when left empty."),
        ),
        _latitude(),
        _longitude(),
        Field("area_ha", T.DECIMAL, N_("Area"), minimum=0, maximum=100_000_000, unit=N_("ha")),
        Field(
            "start_year", T.INTEGER, N_("Start year"), minimum=1900, maximum=YearsFromNow(1)
        ),
        Field(
            "soc_before_t_ha", T.DECIMAL, N_("Soil organic carbon stock before"),
            minimum=0, maximum=2000, unit=N_("t C/ha"),
        ),
        Field(
            "soc_after_t_ha", T.DECIMAL, N_("Soil organic carbon stock after"),
            minimum=0, maximum=2000, unit=N_("t C/ha"),
        ),
        Field(
            "soc_depth_cm", T.DECIMAL, N_("Sampling depth"),
            help=N_("Depth of soil over which the carbon stocks were measured."),
            minimum=1, maximum=300, unit=N_("cm"),
            relevant=_SOC_GIVEN, required_if=_SOC_BOTH,
        ),
        Field(
            "soc_years", T.DECIMAL, N_("Years between measurements"),
            minimum=0, minimum_exclusive=True, maximum=200, unit=N_("years"),
            relevant=_SOC_GIVEN, required_if=_SOC_BOTH,
        ),
        Field(
            "soc_method", T.TEXT, N_("Measurement method"), max_length=500, relevant=_SOC_GIVEN
        ),
        Field("costs", T.LONG_TEXT, N_("Costs"), max_length=5000),
        Field("co_benefits", T.LONG_TEXT, N_("Co-benefits"), max_length=5000),
        Field("references", T.LONG_TEXT, N_("References"), max_length=5000),
        Field("partner_id", T.REFERENCE, N_("Contributing partner"), reference="partners"),
    ),
    summarize=_practice_summary,
    derivations=(RegionFromCountry(),),
    rules=(CoordinatesPair(),),
)

FORUMS = Form(
    kind="forums",
    label=N_("Forums"),
    fields=(
        Field("name", T.TEXT, N_("Name"), required=True, max_length=200),
        Field(
            "region", T.CHOICE, N_("Region"), required=True, codelist="regions",
            help=N_("Filled in from the country when left empty."),
        ),
        Field("country", T.CHOICE, N_("Country"), codelist="countries"),
        Field("city", T.TEXT, N_("City"), max_length=100),
        Field("venue", T.TEXT, N_("Venue"), max_length=200),
        Field("start_date", T.DATE, N_("Start date"), required=True),
        Field("end_date", T.DATE, N_("End date"), required=True),
        Field("capacity", T.INTEGER, N_("Capacity"), minimum=1, maximum=100_000),
        Field("languages", T.MULTI_CHOICE, N_("Languages"), codelist="languages"),
        Field("description", T.LONG_TEXT, N_("Description"), max_length=5000),
    ),
    summarize=_forum_summary,
    derivations=(RegionFromCountry(),),
    rules=(DateOrder("start_date", "end_date"),),
)

REGISTRATIONS = Form(
    kind="registrations",
    label=N_("Registrations"),
    fields=(
        Field("forum_id", T.REFERENCE, N_("Forum"), required=True, reference="forums"),
        Field(
            "first_name", T.TEXT, N_("First name"), required=True, max_length=100, personal=True
        ),
        Field(
            "last_name", T.TEXT, N_("Last name"), required=True, max_length=100, personal=True
        ),
        Field("organisation", T.TEXT, N_("Organisation"), max_length=200, personal=True),
        Field("college", T.CHOICE, N_("College"), codelist="colleges"),
        Field("country", T.CHOICE, N_("Country"), codelist="countries"),
        Field("email", T.EMAIL, N_("Email"), max_length=254, personal=True),
        Field("phone", T.PHONE, N_("Phone"), max_length=40, personal=True),
        Field("role", T.CHOICE, N_("Role"), required=True, codelist="roles"),
        Field("travel_support", T.BOOLEAN, N_("Needs travel support"), default=False),
        Field(
            "consent", T.BOOLEAN, N_("Consent to the processing of personal data"),
            help=N_("The participant agrees that their details are kept for this forum."),
            required=True, must_be_true=True,
        ),
        Field(
            "status", T.CHOICE, N_("Status"), codelist="registration_statuses",
            default="registered",
        ),
        Field(
            "checked_in_at", T.DATETIME, N_("Checked in at"),
            relevant=Equals("status", "registered"),
        ),
        Field(
            "checked_in_by", T.TEXT, N_("Checked in by"), max_length=100,
            relevant=IsSet("checked_in_at"),
        ),
        # Synced, unlike a record's local creation time: every desk serves the waiting list in
        # the same order. Filled in when the registration is made.
        Field(
            "registered_at", T.DATETIME, N_("Registered at"),
            help=N_("When the registration was made: the waiting list is served in this order."),
        ),
        # Set only on the tombstone of a registration merged into another: the one kept.
        Field("merged_into", T.REFERENCE, N_("Merged into"), reference="registrations"),
    ),
    summarize=_registration_summary,
)

# A file linked to a partner or practice. Its bytes travel apart, by their sha256 (see
# docs/sync-protocol.md, "Attachments"); this record is what syncs like the others.
ATTACHMENTS = Form(
    kind="attachments",
    label=N_("Files"),
    fields=(
        Field("owner_kind", T.CHOICE, N_("Record"), required=True, codelist="file_owners"),
        Field("owner_id", T.TEXT, N_("Record identifier"), required=True, max_length=64),
        Field("role", T.CHOICE, N_("Role"), required=True, codelist="file_roles"),
        Field("sha256", T.TEXT, N_("Content hash"), required=True, max_length=64),
        Field("media_type", T.TEXT, N_("Media type"), required=True, max_length=100),
        Field("size", T.INTEGER, N_("Size (bytes)"), required=True, minimum=0,
              maximum=2**40),
        Field("filename", T.TEXT, N_("File name"), max_length=255),
        Field("caption", T.LONG_TEXT, N_("Caption"), max_length=2000),
        # The file's place among the record's files of the same role, as a person ordered them.
        Field("position", T.INTEGER, N_("Position"), minimum=0, maximum=100_000),
    ),
    summarize=_file_summary,
    rules=(ContentHash(), MediaType()),
)

# One scan at a forum's door (protocol 3). A check-in is never edited once made: the log only
# grows, so merging two desks' logs is their union and never a conflict. "Checked in" and the
# head-counts are derived from it (see relay_app.services.checkin).
CHECKINS = Form(
    kind="checkins",
    label=N_("Check-ins"),
    fields=(
        Field(
            "registration_id", T.REFERENCE, N_("Registration"), required=True,
            reference="registrations",
        ),
        Field(
            "device_id", T.TEXT, N_("Device"), required=True, max_length=64,
            help=N_("The installation of Relay that recorded the scan."),
        ),
        Field("device_name", T.TEXT, N_("Desk"), max_length=100),
        Field("scanned_at", T.DATETIME, N_("Scanned at"), required=True),
        Field(
            "direction", T.CHOICE, N_("Direction"), required=True,
            codelist="checkin_directions",
        ),
        Field(
            "cancels", T.REFERENCE, N_("Cancelled scan"), reference="checkins",
            relevant=Equals("direction", "cancel"), required_if=Equals("direction", "cancel"),
        ),
        Field(
            "offline", T.BOOLEAN, N_("Made offline"), default=False,
            help=N_("The desk had not reached the central server recently when it scanned."),
        ),
    ),
    summarize=_checkin_summary,
)

FORMS: Mapping[str, Form] = {
    form.kind: form
    for form in (PARTNERS, PRACTICES, FORUMS, REGISTRATIONS, ATTACHMENTS, CHECKINS)
}
