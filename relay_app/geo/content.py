"""What one map shows: a kind's placed records, clustered, with their colours and legend words."""

from __future__ import annotations

from dataclasses import dataclass, field

from relay_app.formatting import format_integer
from relay_app.geo.clustering import ClusterIndex
from relay_app.geo.palette import LegendEntry, colours, legend
from relay_app.i18n import _, ngettext

KINDS = ("partners", "practices")
GROUP_CODELIST = {"partners": "colleges", "practices": "practice_categories"}


@dataclass(frozen=True)
class MapContent:
    kind: str
    index: ClusterIndex
    unplaced: int  # records the list shows that have no position
    highlighted: frozenset[str] = field(default_factory=frozenset)

    @property
    def codelist(self) -> str:
        return GROUP_CODELIST[self.kind]

    def colours(self) -> dict[str, str]:
        return colours(self.codelist)

    def legend(self) -> list[LegendEntry]:
        return legend(self.codelist, self.index.groups)

    def legend_title(self) -> str:
        return _("Partners by college") if self.kind == "partners" else _("Practices by category")

    def placed_text(self) -> str:
        count = len(self.index)
        if self.kind == "partners":
            text = ngettext("{count} partner on the map", "{count} partners on the map", count)
        else:
            text = ngettext("{count} practice on the map", "{count} practices on the map", count)
        return text.format(count=format_integer(count))

    def unplaced_text(self) -> str:
        """"12 partners have no position", or "" when every record has one."""
        count = self.unplaced
        if not count:
            return ""
        if self.kind == "partners":
            text = ngettext("{count} partner has no position", "{count} partners have no position", count)
        else:
            text = ngettext("{count} practice has no position", "{count} practices have no position",
                            count)
        return text.format(count=format_integer(count))
