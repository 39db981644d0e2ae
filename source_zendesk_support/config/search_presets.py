"""Ready-made search queries: a `search_queries` entry may name one of these presets instead of writing a query.

Each preset stands for one Zendesk search (without `type:`, which the search export takes apart). Dates are
written out when the config is read, so "the last 7 days" means the 7 days before each sync and the query that
Zendesk receives (and that `check` tries) is the one shown in the docs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Dict, Optional, Tuple


@dataclass(frozen=True)
class Preset:
    type: str  # the Zendesk search type, as in search_queries
    query: str  # Zendesk search syntax; {group}, {week_ago}, {month_ago} and {year_start} are filled in
    description: str


PRESETS: Dict[str, Preset] = {
    "open_tickets": Preset("ticket", "status:open", "Tickets whose status is open."),
    "closed_tickets": Preset("ticket", "status:closed", "Tickets closed (solved, then locked)."),
    "unsolved_tickets": Preset("ticket", "status<solved", "Tickets not solved yet: new, open, pending or on hold."),
    "unsolved_tickets_by_group": Preset(
        "ticket", "status<solved group:{group}", "Unsolved tickets of one group; `group` names it (its name or id)."
    ),
    "unassigned_tickets": Preset("ticket", "status<solved assignee:none", "Unsolved tickets nobody is assigned to."),
    "tickets_solved_last_7_days": Preset(
        "ticket", "solved>={week_ago}", "Tickets solved in the 7 days before the sync."
    ),
    "users_created_last_30_days": Preset(
        "user", "created>={month_ago}", "Users created in the 30 days before the sync."
    ),
    "organizations_created_this_year": Preset(
        "organization", "created>={year_start}", "Organizations created since January 1 of the current year (UTC)."
    ),
}


class PresetProblem(ValueError):
    """What is wrong with a preset entry, in words for the user."""


def _quoted_group(group: Optional[str], preset: str) -> str:
    if not isinstance(group, str) or not group.strip():
        raise PresetProblem(f"preset '{preset}' needs 'group': the name or id of a Zendesk group.")
    group = group.strip()
    if '"' in group:
        raise PresetProblem(f"'group' {group!r} of preset '{preset}' may not contain a double quote.")
    return f'"{group}"' if any(char.isspace() for char in group) else group


def expand_preset(name: str, today: date, group: Optional[str] = None) -> Tuple[str, str]:
    """(type, query) that the preset stands for on `today` (UTC). Raises PresetProblem naming what is wrong."""
    preset = PRESETS.get(name)
    if preset is None:
        raise PresetProblem(f"unknown preset '{name}'; the presets are: {', '.join(PRESETS)}.")
    needs_group = "{group}" in preset.query
    if group is not None and not needs_group:
        raise PresetProblem(f"preset '{name}' takes no 'group'.")
    query = preset.query.format(
        group=_quoted_group(group, name) if needs_group else "",
        week_ago=(today - timedelta(days=7)).isoformat(),
        month_ago=(today - timedelta(days=30)).isoformat(),
        year_start=date(today.year, 1, 1).isoformat(),
    )
    return preset.type, query
