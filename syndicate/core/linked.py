"""Pages a column links to, read during one collect run: its author's page (and, see
``canonical``, the page a copy or a twin names as the original).

One ``LinkedPages`` lives for a whole run, shared by every source, so a page linked from
several columns (or several papers) is read once.
"""

from __future__ import annotations

import logging
from datetime import datetime

from ..config import Config
from ..sources.author_pages import AuthorPages
from ..sources.http import Fetcher
from ..types import ColumnDraft

log = logging.getLogger("syndicate.collect")


class LinkedPages:
    def __init__(self, config: Config, *, now: datetime) -> None:
        self.config = config
        self.authors = AuthorPages(now=now,
                                   revalidate_days=config.author_pages.revalidate_days)

    def complete(self, draft: ColumnDraft, source_name: str, fetcher: Fetcher) -> ColumnDraft:
        """``draft`` with what the pages it links to add (its own values stand)."""
        source = self.config.source(source_name)
        try:
            if source.author_page is not None:
                draft = self.authors.fill(draft, fetcher, source.author_page)
        except Exception:  # a bug met on a linked page must not lose the column
            log.exception("%s: unexpected error reading the pages %s links to",
                          source_name, draft.url)
        return draft
