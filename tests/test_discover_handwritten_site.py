"""Discovery on a paper it was not written against: the collection tests' Gulf site
(tests/data/sites/gulf, hand-checked expected.json, selectors written by hand in
test_collect_sites.py). `discover --write`, then `collect`, then the same fields as the
hand-written source compared with expected.json: an out-of-sample measure."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from syndicate.cli.main import main
from syndicate.clock import fixed_clock
from syndicate.core import load_config
from syndicate.core.collect import run_collect
from syndicate.store import Store

from .collect_helpers import SITES, expected, serve

NOW = "2025-09-25T12:00:00Z"
FIELDS = ("title", "published", "views", "body_html", "author.name", "author.credentials",
          "author.article_count", "author.url")


def _get(record: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        record = record[key]
    return record


def test_discovered_gulf_source_matches_the_hand_checked_columns(
        tmp_path: Path, capsys: Any) -> None:
    config = tmp_path / "schedules.yaml"
    config.write_text("timezone: Asia/Qatar\nstore: syndicate.db\nhttp:\n  min_delay_s: 0\n"
                      "  retries: 0\n  timeout_s: 0.5\n  allow_private_addresses: true\n",
                      encoding="utf-8")
    with serve(SITES / "gulf") as site:
        assert main(["--now", NOW, "sources", "discover", "--config", str(config),
                     site.url("/opinion/index.html"), "--name", "gulf", "--write"]) == 0
        loaded = load_config(config)
        store = Store.open(loaded.store_url)
        try:
            run_collect(loaded, store, clock=fixed_clock(datetime.fromisoformat(NOW)),
                        source_names=["gulf"])
            got = {c.url.replace(site.base, "BASE"): c for c in store.columns.list()}
        finally:
            store.close()
    right = total = 0
    misses = []
    for want in expected("gulf"):
        column = got.get(want["url"])
        for field in FIELDS:
            total += 1
            if column is None:
                misses.append(f"{want['url']}: not collected")
                continue
            value: Any = column
            for key in field.split("."):
                value = getattr(value, key)
            if isinstance(value, str):
                value = value.replace(site.base, "BASE")
            if field == "published":
                value = str(value)
            if value == _get(want, field):
                right += 1
            else:
                misses.append(f"{want['url']}: {field}: {value!r} != {_get(want, field)!r}")
    print(f"gulf (hand-written fixture): {right}/{total} fields right; misses: {misses}")
    assert right / total >= 0.9, misses
