"""`syndicate serve`: feeds, subscribe/unsubscribe pages and the operator status page."""
