"""syndicate: newsletters and feeds for Arabic opinion columns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "format_date"]

if TYPE_CHECKING:
    from .dates import format_date


def __getattr__(name: str) -> Any:
    # Lazy, so `import syndicate` does not load Babel and hijridate for every command.
    if name == "format_date":
        from .dates import format_date

        return format_date
    raise AttributeError(name)
