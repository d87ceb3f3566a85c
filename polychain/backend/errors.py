"""The error of a backend that cannot be used here."""


class BackendUnavailable(RuntimeError):
    """Raised by a backend factory when its library or hardware is missing."""
