"""Everything about subscribers that is not persistence (that is ``store.subscribers``).

- ``tokens``: the one place every signed link token is made and read;
- ``subscriptions``: what a valid token lets a reader do (confirm, unsubscribe);
- ``confirmation``: double opt-in: the pending sign-up and its confirmation mail;
- ``csv_file``: addresses checked once, CSV import and export;
- ``mailed_unsubscribes``: unsubscribe requests that arrive by mail.
"""
