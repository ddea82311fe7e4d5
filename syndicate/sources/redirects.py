"""Redirects remembered: a listed URL that redirected keeps the chain it took.

Sites move columns (``/old/…`` → ``/new/…``, http → https) and keep linking the old
address. Walking the chain on every run costs a request per hop before the page is even
asked about, and the page at the end, reached without its validators, comes back in full.
So the chain and the final page's validators are kept with the listed URL: the next runs
ask the final URL directly, conditionally (one request, a 304 when unchanged), and walk
the chain again only every ``REWALK_EVERY`` runs (the site may have moved it again) or
when the final URL fails.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

# The chain is walked again on one run in this many (and whenever its end fails).
REWALK_EVERY = 5
_MAX_HOPS = 20


@dataclass(frozen=True)
class Redirect:
    final: str  # where the chain ended: the page itself
    chain: tuple[str, ...]  # every URL asked, the listed one first, the final one last
    uses: int = 0  # runs since the chain was last walked

    @property
    def due(self) -> bool:
        """Whether this run should walk the chain again rather than trust it."""
        return self.uses + 1 >= REWALK_EVERY

    def used(self) -> Redirect:
        return replace(self, uses=self.uses + 1)

    def dumps(self) -> str:
        return json.dumps({"final": self.final, "chain": list(self.chain), "uses": self.uses},
                          ensure_ascii=False)


def loads(text: str | None) -> Redirect | None:
    """A remembered chain, or None (none, or written by another version)."""
    try:
        data = json.loads(text) if text else None
        if not isinstance(data, dict) or not isinstance(data.get("final"), str):
            return None
        chain = tuple(str(u) for u in data.get("chain") or ())[:_MAX_HOPS]
        return Redirect(data["final"], chain, int(data.get("uses") or 0))
    except (ValueError, TypeError):
        return None
