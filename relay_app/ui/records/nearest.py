"""The "Nearest partners" section of a partner's details: neighbours to put in touch.

They are found on the database thread (the first time, every partner's position is read to build
the index), and the section appears when they arrive.
"""

from __future__ import annotations

import html
from urllib.parse import quote

from relay_app.formatting import format_quantity
from relay_app.i18n import _
from relay_app.services import RecordView, Services
from relay_app.services.errors import ServiceError
from relay_app.services.mapping import NearbyPartner

SHOWN = 5


def nearest_partners(services: Services, partner: RecordView, limit: int = SHOWN) -> list[NearbyPartner]:
    """The partner's neighbours (run on the database thread); none when it has no position."""
    try:
        return services.map.nearest_partners(partner.id, limit)
    except ServiceError:
        return []


def nearest_partners_html(nearby: list[NearbyPartner]) -> list[str]:
    """HTML parts: a heading and one line per neighbour (distance, email, phone); nothing when
    there is none."""
    if not nearby:
        return []
    heading = _("Nearest partners")
    parts = [f"<h3>{html.escape(heading)}</h3><table cellpadding='3'>"]
    for neighbour in nearby:
        distance = format_quantity(neighbour.distance_km, "length-kilometer", 1)
        contacts = []
        if neighbour.email:
            contacts.append(f"<a href='mailto:{quote(neighbour.email, safe='@')}'>"
                            f"{html.escape(neighbour.email)}</a>")
        if neighbour.phone:
            contacts.append(f"<a href='tel:{quote(neighbour.phone, safe='+')}'>"
                            f"{html.escape(neighbour.phone)}</a>")
        place = ", ".join(value for value in (neighbour.city or "",) if value)
        parts.append(
            f"<tr><td valign='top' align='right'>{html.escape(distance)}</td>"
            f"<td><b>{html.escape(neighbour.name)}</b>"
            f"{' — ' + html.escape(place) if place else ''}<br>{' · '.join(contacts)}</td></tr>"
        )
    parts.append("</table>")
    return parts
