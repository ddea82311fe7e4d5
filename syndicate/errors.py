"""The one exception tree of syndicate.

    SyndicateError                 every error syndicate raises on purpose
    ├── ConfigError                schedules.yaml is wrong (carries every problem found)
    ├── FetchError                 one URL could not be fetched (carries the URL)
    │   └── NotAllowedError        robots.txt, an off-site host or a private address
    ├── ExtractError               a fetched page is not a usable column (carries the URL)
    ├── DateParseError             text that is not a date we can read (carries the text)
    ├── DateRangeError             a date outside the calendar table's range
    ├── StoreError                 the database refused (carries the store URL)
    │   └── SchemaVersionError     the database was written by a newer syndicate
    ├── RenderError                a template or feed could not be produced (carries its name)
    ├── DeliveryError              a message could not be handed over (carries the address)
    │   ├── PermanentDeliveryError the relay said 5xx about this recipient: a bounce
    │   └── RelayError             the relay refused *us* (login, sender, relaying) or is down
    ├── TokenError                 a confirm/unsubscribe link that is forged, altered or expired
    └── InputFileError             a file named on the command line cannot be read (carries its path)

Foreign exceptions are translated once, at the module that talks to the foreign
library, with ``raise ... from exc``; the CLI prints ``str(error)`` as one line.
"""

from __future__ import annotations

from dataclasses import dataclass


class SyndicateError(Exception):
    """Root of every error syndicate raises on purpose."""


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in a configuration file, located to the character."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class ConfigError(SyndicateError):
    """The configuration is invalid; ``problems`` lists all of them at once."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class FetchError(SyndicateError):
    # The failing answer's validators (sources.fetching.Cached), when the site answered:
    # remembered with the failure so the next request is conditional.
    answer: object = None

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class NotAllowedError(FetchError):
    """Never fetched: robots.txt disallows it, or its host is not configured."""


# How a page of a host left for the run reads in results (the collect table folds
# them into one line per host).
HOST_LEFT = "host left for this run"


class HostThrottledError(FetchError):
    """The host answered 429/503 too many times in a row: left for this run, its pages
    stay due for the next one."""

    def __init__(self, url: str, throttles: int) -> None:
        super().__init__(url, f"{HOST_LEFT} after {throttles} throttled answers "
                              "(HTTP 429/503) in a row; its pages stay due for the next run")


class ExtractError(SyndicateError):
    answer: object = None  # as FetchError.answer

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"{url}: {reason}")


class DateParseError(SyndicateError):
    def __init__(self, text: str, reason: str = "not a date syndicate can read") -> None:
        self.text = text
        super().__init__(f"{text!r}: {reason}")


class DateRangeError(SyndicateError):
    """A date outside the range of the Hijri (Umm al-Qura) table."""


class StoreError(SyndicateError):
    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        super().__init__(f"store {url}: {reason}")


class SchemaVersionError(StoreError):
    """The database's schema is newer than this code knows: never guess, never downgrade."""

    def __init__(self, url: str, found: int, known: int) -> None:
        self.found = found
        self.known = known
        super().__init__(
            url,
            f"schema version {found} is newer than this syndicate knows ({known}); "
            "upgrade syndicate or open a copy made by this version",
        )


class RenderError(SyndicateError):
    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        super().__init__(f"{name}: {reason}")


class DeliveryError(SyndicateError):
    def __init__(self, address: str, reason: str) -> None:
        self.address = address
        self.reason = reason
        super().__init__(f"{address}: {reason}")


class PermanentDeliveryError(DeliveryError):
    """The relay refused this recipient for good (5xx naming them): a bounce, never retried."""


class RelayError(DeliveryError):
    """The relay's fault, not the recipient's: counted against nobody, stops the run.

    ``permanent``: a 5xx about us (AUTH, MAIL FROM, relay access denied) that no retry
    fixes; otherwise the relay is unreachable or answered 4xx about itself.
    """

    def __init__(self, address: str, reason: str, *, permanent: bool = False) -> None:
        self.permanent = permanent
        super().__init__(address, reason)


class TokenError(SyndicateError):
    """A signed link token that does not verify (forged, altered, other address, expired)."""


class InputFileError(SyndicateError):
    """A whole input file cannot be read (missing, a directory, no permission)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")
