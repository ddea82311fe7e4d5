"""Rendering: digests (MJML e-mail) and feeds (RSS, Atom, JSON Feed)."""
