"""How long `syndicate sources discover URL` takes on each loopback paper.

Each paper of tests/discover_sites.py (the Gulf classes-only paper, Levantine
Arabic-Indic digits, feed-only teasers, JSON-LD only, Maghreb windows-1256 + news
sitemap, WordPress announced three ways, two templates, author pages, clean URLs) is
served on loopback by the test server (a thread in this process), and discovered
--runs times: the whole of `discover_source` (robots.txt, the section page, feeds,
sitemaps, the WordPress API, 5 sample pages, author pages, selector inference and the
5-column preview collected as `collect` would), with `http.min_delay_s: 0`. On a real
site the polite delay dominates: each request after the first waits
`http.min_delay_s` (0.5 s by default), so the request count is printed too.

    python bench/discover.py [--runs 5]

The last line is one JSON object: per paper, the median seconds and the requests;
and the median over papers. Requests are counted by the server (robots.txt, 404s
and the preview's included).
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syndicate.core import load_config
from syndicate.core.discovery import discover_source
from tests.discover_sites import BUILDERS, START
from tests.test_discover_sites import paper

NOW = datetime(2025, 9, 25, 12, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # a 404 among the samples is expected, not news
    report: dict[str, dict[str, float | int]] = {}
    for name in (n for n in BUILDERS if n != "empty"):
        with tempfile.TemporaryDirectory() as folder, paper(Path(folder), name) as (
                site, _truth, config_file):
            config = load_config(config_file)
            times = []
            requests = 0
            for _run in range(args.runs):
                before = len(site.requests)
                start = time.perf_counter()
                found = discover_source(config, site.url(START[name]), name=name,
                                        timezone=None, now=NOW)
                times.append(time.perf_counter() - start)
                requests = len(site.requests) - before  # as the server saw them, 404s too
                assert found.preview.columns, f"{name}: no column previewed"
        median = statistics.median(times)
        report[name] = {"median_s": round(median, 4), "requests": requests}
        print(f"{name:>13}: median {median * 1000:6.1f} ms over {args.runs} runs, "
              f"{requests} requests (at the default 0.5 s delay: ~{requests * 0.5:.0f} s)")
    overall = statistics.median(r["median_s"] for r in report.values())
    print(json.dumps({"papers": report, "median_s": round(overall, 4), "runs": args.runs}))


if __name__ == "__main__":
    main()
