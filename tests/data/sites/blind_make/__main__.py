"""Writes the out-of-sample papers under tests/data/sites/blind_*/, blind2_*/ and blind3_*/ :

    .venv/bin/python tests/data/sites/blind_make

Each paper is modelled on the markup of a real Arabic paper's opinion section (Qatar's
Al-Sharq from the seed page, an Egyptian daily, Morocco's Hespress on WordPress, a Saudi
daily with clean URLs), written WITHOUT reading syndicate/discover/: the measurement in
tests/test_discover_blind_sites.py is only honest if the pages were not tuned to the
heuristics. Each folder gets its files, robots.txt and truth.json (per column, what a
careful reader of the page writes down; "lacks": fields no column of the paper prints).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import annahar
import awsat
import echorouk
import hespress
import khaleej
import masry
import okaz
import sharq
import watan

SITES = Path(__file__).resolve().parent.parent


def main() -> None:
    papers = (("blind_sharq", sharq), ("blind_masry", masry), ("blind_hespress", hespress),
              ("blind_okaz", okaz),
              # The second blind set (the first went to the discovery lane as defects).
              ("blind2_khaleej", khaleej), ("blind2_annahar", annahar), ("blind2_watan", watan),
              # The third set, held out while the second one's defects are worked on.
              ("blind3_echorouk", echorouk), ("blind3_awsat", awsat))
    for name, module in papers:
        root = SITES / name
        if root.exists():
            shutil.rmtree(root)
        files, data = module.build()
        for rel, text in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):  # a legacy paper's windows-1256 pages
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        (root / "truth.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{root.name}: {len(files)} files, {len(data['columns'])} columns")


main()
