"""Pure text helpers: sanitising, plain text, excerpts, slugs, Arabic numbers."""
