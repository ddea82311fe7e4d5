"""Hypothesis profiles.

``default`` is derandomized: the suite (and CI) tries the same examples every run,
so main goes red only for a change, never for a lucky draw. ``explore`` draws fresh
random examples on every run, to hunt for new bugs (run it a few times):

    python -m pytest tests/ --hypothesis-profile=explore -k "property or consecutive"

(it found that hijridate's table has 31-day months before 1365 AH).

Tests that read a schedules.yaml without going through ``syndicate.core`` need the
built-in source kinds registered, as the core registers them for every entry point.
"""

from hypothesis import settings

import syndicate.sources  # noqa: F401 (registers the built-in source kinds)

settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False)
