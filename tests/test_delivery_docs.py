"""docs/delivery.md stays true: its example is valid, every delivery key and command is in it."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.routing import Route

from syndicate.clock import utc_now
from syndicate.config import parse
from syndicate.config.newsletters import DeliverySettings, SmtpSettings
from syndicate.store import Store
from syndicate.web.context import WebContext
from syndicate.web.subscribe import routes

from .delivery_helpers import write_config

DOC = (Path(__file__).parent.parent / "docs" / "delivery.md").read_text(encoding="utf-8")
EXAMPLE = re.search(r"```yaml\n(.*?)```", DOC, re.DOTALL).group(1)  # type: ignore[union-attr]


def test_the_example_is_a_valid_configuration() -> None:
    config = parse(EXAMPLE, "docs/delivery.md")
    assert config.delivery.transport == "smtp" and config.delivery.smtp is not None
    assert config.delivery.smtp.password is not None
    assert config.newsletter("daily").bounce_limit == 3


def test_every_delivery_key_is_in_the_example() -> None:
    documented = set(re.findall(r"^\s+(?:- )?([a-z_]+):", EXAMPLE, re.MULTILINE))
    for model in (DeliverySettings, SmtpSettings):
        keys = set(model.model_fields)
        assert keys <= documented, f"undocumented {model.__name__} keys: {keys - documented}"


def test_every_command_and_route_is_documented(tmp_path: Path) -> None:
    for action in ("import", "add", "list", "remove"):
        assert f"syndicate subscribers {action}" in DOC
    config = write_config(tmp_path)
    context = WebContext(config=config, store=Store.open(config.store_url), clock=utc_now)
    served = [(method, route.path) for route in routes(context) if isinstance(route, Route)
              for method in sorted(route.methods or ()) if method != "HEAD"]
    assert len(served) == 6
    for method, path in served:
        assert f"`{method} {path.replace('{token}', 'TOKEN')}`" in DOC, (method, path)
    assert "List-Unsubscribe=One-Click" in DOC
