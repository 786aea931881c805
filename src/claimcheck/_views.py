"""The views a lower layer shows with a higher layer's code, named before anything is imported.

A :class:`~claimcheck.Report` in a notebook shows itself as the reports' table
(``Report._repr_html_``), but the model cannot import :mod:`claimcheck.reports`, which lies above
it. ``import claimcheck``, which runs before any part of claimcheck, names the table here without
importing either (the model costs more than starting Python does: issue 17), and the model reads
it when a notebook asks.
"""

TYPE_CHECKING = False  # not typing's: this module imports nothing (start-up, issue 17)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

NOTEBOOK: "list[Callable[[Any], str]]" = []
"""The HTML of a report in a notebook (the last one named), or none: the text form."""
