"""Body text of a column page: the hand-written heuristic against trafilatura and
readability-lxml, on every loopback paper of tests/discover_sites.py whose text is in
the page (the JSON-LD paper's is not; the clean-URL variants repeat the Gulf pages) and
on the hand-checked Gulf site (tests/data/sites/gulf, expected.json).

Per page and per method:
- right: every paragraph of the truth is in the text and none of the junk (the ad
  «مساحة إعلانية», the share bar, «اقرأ المزيد» boxes, «إعلان»);
- recall: the share of the truth's characters found (paragraph by paragraph);
- extra: characters of text beyond the truth, as a share of the truth (bylines, dates,
  boxes that are not the column: lower is better);
- ms per page: median of --runs runs, one core, HTML text in, plain text out.

The heuristic is what discovery writes and collect then runs: the body selector
(discover/infer.body_node) and the remove: selectors (junk_inside), here inferred on
the page alone (discovery votes across 5 samples, which can only help it).

    pip install trafilatura readability-lxml   # not dependencies: only to compare
    python bench/discover_body.py [--runs 5]

The last line is one JSON object: per method, pages right / pages, mean recall, mean
extra, ms per page.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from syndicate.discover.dom import parse, selector_for
from syndicate.discover.infer import body_node, junk_inside
from syndicate.discover.sample import Sample
from syndicate.sources.encoding import decode
from syndicate.sources.extract import page_view
from syndicate.text.sanitise import plain_text
from tests.discover_sites import BUILDERS

PAPERS = ("gulf", "levant", "feedonly", "maghreb", "wp", "twotemplates", "portal", "idslug",
          "degree", "wphard")
JUNK = ("مساحة إعلانية", "تويتر", "شارك", "اقرأ المزيد", "إعلان")
_SPACES = re.compile(r"\s+")


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def handwritten(html: str) -> str:
    tree = parse(html)
    node = body_node(tree)
    if node is None:
        return ""
    selector = selector_for(node)
    remove = junk_inside([Sample("https://x/", tree, html)], selector)
    body = page_view(parse(html), "https://x/").body(selector, remove)
    return plain_text(body or "")


def with_trafilatura(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=True) or ""


def with_readability(html: str) -> str:
    from readability import Document

    return plain_text(Document(html).summary(html_partial=True))


METHODS: dict[str, Callable[[str], str]] = {
    "handwritten": handwritten, "trafilatura": with_trafilatura,
    "readability-lxml": with_readability}


def pages() -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, HTML text, truth paragraphs) for every page measured."""
    found = []
    with tempfile.TemporaryDirectory() as folder:
        for name in PAPERS:
            root = Path(folder) / name
            for truth in BUILDERS[name](root):
                file = root / unquote(truth.path).lstrip("/")
                if file.is_dir() or truth.path.endswith("/"):
                    file = file / "index.html"
                text, _encoding = decode(file.read_bytes(), None)
                found.append((f"{name}{truth.path}", text, truth.paragraphs))
    gulf = ROOT / "tests" / "data" / "sites" / "gulf"
    for want in json.loads((gulf / "expected.json").read_text(encoding="utf-8")):
        file = gulf / want["url"].removeprefix("BASE/")
        paragraphs = tuple(p for p in plain_text(want["body_html"]).split("\n") if p)
        text, _encoding = decode(file.read_bytes(), None)
        found.append((f"sites/gulf/{file.name}", text, paragraphs))
    return found


def score(text: str, paragraphs: tuple[str, ...]) -> tuple[bool, float, float]:
    flat = _flat(text)
    wanted = [_flat(p) for p in paragraphs]
    found = sum(len(p) for p in wanted if p in flat)
    total = sum(len(p) for p in wanted)
    right = found == total and not any(j in flat for j in JUNK)
    extra = max(0, len(flat) - total - len(wanted)) / total  # the spaces between paragraphs
    return right, found / total, extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    measured = pages()
    report: dict[str, dict[str, object]] = {}
    for method, extract in METHODS.items():
        try:
            results = [score(extract(html), truth) for _label, html, truth in measured]
        except ImportError as exc:  # the libraries are not dependencies: install them to compare
            print(f"{method:>17}: not installed ({exc}); pip install trafilatura readability-lxml")
            continue
        misses = [label for (label, _h, _t), (right, _r, _e) in zip(measured, results,
                                                                   strict=True) if not right]
        times = []
        for _run in range(args.runs):
            start = time.perf_counter()
            for _label, html, _truth in measured:
                extract(html)
            times.append((time.perf_counter() - start) * 1000 / len(measured))
        report[method] = {
            "right": sum(r for r, _c, _e in results), "pages": len(measured),
            "recall": round(statistics.mean(c for _r, c, _e in results), 3),
            "extra": round(statistics.mean(e for _r, _c, e in results), 3),
            "ms_per_page": round(statistics.median(times), 3),
            "misses": misses}
        print(f"{method:>17}: {report[method]['right']}/{len(measured)} pages right, "
              f"recall {report[method]['recall']:.3f}, extra {report[method]['extra']:.3f}, "
              f"{report[method]['ms_per_page']:.2f} ms/page; misses: {misses}")
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
