"""The one error type users see: a clear, one-line message naming the key and the bad value."""


class ShouwangError(ValueError):
    """Bad input or a broken invariant, reported to the user in one line.

    The command-line entry point prints ``error: <message>`` and exits with status 2;
    the Python API raises it as it is.
    """


class ConservationError(ShouwangError):
    """The dispute ledger does not balance: created != resolved + litigated + criminal + withdrawn + pending."""
