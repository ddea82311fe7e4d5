"""Pages a column links to, read during one collect run: its author's page, and the page a
copy or a twin names as its canonical (``canonical`` decides which is which).

One ``LinkedPages`` lives for a whole run, shared by every source, so a page linked from
several columns (or several papers) is read once: an author page however many columns
link it; a column's page once, whether it was reached from its own listing, from its
twin or from another paper's copy, whichever came first.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from ..config import Config
from ..config.sources import host_and_port
from ..errors import SyndicateError
from ..sources import Found
from ..sources.author_pages import AuthorPages
from ..sources.base import SourceBase, failure, merge, page_reader
from ..sources.http import Fetcher
from ..sources.page_values import clean_url
from ..text.urls import address_key
from ..types import ColumnDraft, Outcome
from .canonical import Decision, Relation, decide, hosts_of

log = logging.getLogger("syndicate.collect")

# Author pages read side by side (each host's gate still limits what reaches it), and
# how many column pages may wait for theirs: bounded threads, bounded memory.
AUTHOR_PAGE_WORKERS = 4
LOOK_AHEAD = 2 * AUTHOR_PAGE_WORKERS


@dataclass(frozen=True)
class Step:
    """One page to hand to the store, for ``source``'s column, through ``fetcher``."""

    found: Found
    source: str
    fetcher: Fetcher
    attach: Decision | None = None  # a twin's or copy's: fill gaps of that column only


class LinkedPages:
    def __init__(self, config: Config, *, now: datetime,
                 locations: Mapping[str, Sequence[str]],
                 fetcher_for: Callable[[str], Fetcher] | None = None) -> None:
        """``locations``: every source's addresses, made absolute (its hosts are its
        own); ``fetcher_for(source name)``: a fetcher with that source's hosts, for the
        original of a copy found on another paper."""
        self.config = config
        self.authors = AuthorPages(now=now,
                                   revalidate_days=config.author_pages.revalidate_days,
                                   workers=AUTHOR_PAGE_WORKERS)
        self.hosts = {s.name: hosts_of(locations.get(s.name, ()),
                                       [host_and_port(h)[0] for h in s.allowed_hosts])
                      for s in config.sources}
        self.read: set[str] = set()  # column pages read this run
        self._fetcher_for = fetcher_for
        self._fetchers: dict[str, Fetcher] = {}
        self._parked: dict[str, list[tuple[Found, Decision]]] = {}

    def steps(self, founds: Iterable[Found], source: str, fetcher: Fetcher) -> Iterator[Step]:
        """``route`` for each page ``source`` yields, in order, up to ``LOOK_AHEAD`` pages
        behind: their author pages are asked meanwhile, side by side."""
        waiting: deque[Found] = deque()
        pages = iter(founds)
        while True:
            try:
                found = next(pages)
            except StopIteration:
                break
            except Exception:
                # What the source yielded before it failed is stored all the same.
                while waiting:
                    yield from self.route(waiting.popleft(), source, fetcher)
                raise
            self._prefetch(found, source, fetcher)
            waiting.append(found)
            if len(waiting) > LOOK_AHEAD:
                yield from self.route(waiting.popleft(), source, fetcher)
        while waiting:
            yield from self.route(waiting.popleft(), source, fetcher)

    def _prefetch(self, found: Found, source_name: str, fetcher: Fetcher) -> None:
        source = self.config.source(source_name)
        if (found.draft is not None and isinstance(source, SourceBase)
                and source.author_page is not None):
            self.authors.prefetch(found.draft, fetcher, source.author_page)

    def close(self) -> None:
        """The run is over: the author pages' threads end."""
        self.authors.close()

    def complete(self, draft: ColumnDraft, source_name: str, fetcher: Fetcher) -> ColumnDraft:
        """``draft`` with what its author page adds (the column page's values stand)."""
        source = self.config.source(source_name)
        try:
            if isinstance(source, SourceBase) and source.author_page is not None:
                draft = self.authors.fill(draft, fetcher, source.author_page)
        except Exception:  # a bug met on a linked page must not lose the column
            log.exception("%s: unexpected error reading the author page of %s",
                          source_name, draft.url)
        return draft

    def route(self, found: Found, source: str, fetcher: Fetcher) -> list[Step]:
        """What to store for one page now; a twin or copy whose canonical page is not
        read yet waits for ``finish`` (its canonical may still come in this source)."""
        if found.draft is None:
            return [Step(found, source, fetcher)]
        draft = self.complete(found.draft, source, fetcher)
        page_url = clean_url(found.page.final_url) if found.page is not None else found.url
        decision = decide(page_url=page_url, canonical=draft.canonical_url, source=source,
                          hosts=self.hosts)
        self.read.update((address_key(found.url), address_key(page_url)))
        if decision.relation is Relation.OWN:
            if draft.canonical_url:
                self.read.add(address_key(draft.canonical_url))
            return [Step(replace(found, draft=draft), source, fetcher)]
        if decision.relation is Relation.ELSEWHERE:
            own = replace(draft, canonical_url=page_url, original_url=decision.canonical)
            return [Step(replace(found, draft=own), source, fetcher)]
        found = replace(found, draft=draft)
        if address_key(decision.canonical or "") in self.read:
            return [Step(found, source, fetcher, attach=decision)]
        self._parked.setdefault(source, []).append((found, decision))
        return []

    def finish(self, source: str, fetcher: Fetcher) -> list[Step]:
        """The twins and copies ``source`` left waiting: each canonical page read once
        (unless read meanwhile), then the twin or copy attached to its column."""
        steps: list[Step] = []
        for found, decision in self._parked.pop(source, []):
            assert decision.canonical is not None and decision.owner is not None
            if address_key(decision.canonical) not in self.read:
                self.read.add(address_key(decision.canonical))
                owner_fetcher = (fetcher if decision.owner == source
                                 else self._owner_fetcher(decision.owner))
                if owner_fetcher is not None:
                    original = self._read_original(decision.canonical, decision.owner,
                                                   owner_fetcher)
                    if original.draft is not None and found.draft is not None \
                            and decision.relation is Relation.TWIN:
                        # Its values stand; the twin (with a feed item's, say) fills gaps.
                        original = replace(original, draft=merge(original.draft, found.draft))
                    steps.append(Step(original, decision.owner, owner_fetcher))
            steps.append(Step(found, source, fetcher, attach=decision))
        return steps

    def _owner_fetcher(self, owner: str) -> Fetcher | None:
        if self._fetcher_for is None:
            return None
        if owner not in self._fetchers:
            self._fetchers[owner] = self._fetcher_for(owner)
        return self._fetchers[owner]

    def _read_original(self, url: str, owner: str, fetcher: Fetcher) -> Found:
        """The canonical page, read as its own paper reads its columns."""
        source = self.config.source(owner)
        if not isinstance(source, SourceBase):
            return Found(url, outcome=Outcome.SKIPPED, settled=True,
                         reason=f"source {owner} reads no column pages")
        try:
            page = fetcher.fetch(url)
        except SyndicateError as exc:
            return failure(url, exc)
        if page.not_modified:
            return Found(url, page=page, outcome=Outcome.NOT_MODIFIED)
        try:
            draft = page_reader(owner, source.fields, source.language)(url, page)
        except SyndicateError as exc:
            return failure(url, exc)
        # It is the column: one level of canonical is followed, never a chain or a loop.
        draft = replace(draft, canonical_url=url)
        return Found(url, draft=self.complete(draft, owner, fetcher), page=page)
