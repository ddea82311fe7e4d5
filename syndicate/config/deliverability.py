"""Warnings about what mail providers will make of our digests (`schedules check`).

Not errors: a test installation on 127.0.0.1 sends to a Maildir and needs none of
it. A production one (a public ``site.base_url``) does: Gmail and Yahoo's bulk-sender
rules ask for DKIM, https one-click unsubscribe (RFC 8058) and a postal address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .checks import is_local
from .model import Config


def deliverability_warnings(config: Config) -> list[str]:
    """One line per problem, naming the setting to change."""
    if is_local(config.site.base_url) or not config.newsletters:
        return []
    warnings = []
    if urlsplit(config.site.base_url).scheme != "https":
        warnings.append(
            f"site.base_url {config.site.base_url} is not https: Gmail and Yahoo ignore "
            "one-click unsubscribe (RFC 8058) over http, so the List-Unsubscribe-Post header "
            "does nothing; serve syndicate behind https (docs/nginx.md)")
    if config.delivery.dkim is None:
        warnings.append(
            "delivery.dkim is not set: one-click unsubscribe only counts when a DKIM "
            "signature covers List-Unsubscribe and List-Unsubscribe-Post, and Gmail and "
            "Yahoo require DKIM of bulk senders (docs/delivery.md)")
    for newsletter in config.newsletters:
        if not newsletter.postal_address:
            warnings.append(
                f"newsletters.{newsletter.id}.postal_address is not set: required for "
                "production sending (CAN-SPAM, bulk-sender rules); every footer shows it")
    return warnings
