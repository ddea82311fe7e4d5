"""docs/configuration.md stays true: its example is valid and names every key it covers."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from syndicate.config import parse
from syndicate.config.feeds import FeedsSettings
from syndicate.config.newsletters import Newsletter
from syndicate.config.sources import HttpSettings, source_kinds, source_model
from syndicate.sources.extract import AuthorPageSelectors, FieldSelectors

DOC = (Path(__file__).parent.parent / "docs" / "configuration.md").read_text(encoding="utf-8")
EXAMPLE = re.search(r"```yaml\n(.*?)```", DOC, re.DOTALL).group(1)  # type: ignore[union-attr]


def test_the_example_is_a_valid_configuration() -> None:
    config = parse(EXAMPLE, "docs/configuration.md")
    assert [s.kind for s in config.sources] == ["html", "feed", "sitemap", "wordpress"]
    assert config.feeds.websub_hub and config.newsletter("daily").digits == "arab"


def _keys(block: str) -> set[str]:
    return set(re.findall(r"^\s+(?:- )?([a-z_]+):", block, re.MULTILINE))


def test_every_key_of_every_covered_section_is_in_the_example() -> None:
    sections = {name: EXAMPLE.split(f"\n{name}:", 1)[1].split("\n\n", 1)[0] if name != "sources"
                else EXAMPLE.split("\nsources:", 1)[1].split("\nfeeds:", 1)[0]
                for name in ("http", "sources", "feeds", "newsletters")}
    kinds = tuple(found for kind in source_kinds() if (found := source_model(kind)))
    covered: dict[str, tuple[type[BaseModel], ...]] = {
        "http": (HttpSettings,),
        "sources": (*kinds, FieldSelectors, AuthorPageSelectors),  # every registered kind
        "feeds": (FeedsSettings,),
        "newsletters": (Newsletter,),
    }
    for section, models in covered.items():
        documented = _keys(sections[section])
        for model in models:
            missing = set(model.model_fields) - documented
            assert not missing, f"{section}: {model.__name__} keys not in the example: {missing}"
