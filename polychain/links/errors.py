"""The error links raise for arguments that Chainer's links check with assertions."""


class LinkArgumentError(ValueError, AssertionError):
    """An argument of a link (or of a link call) has the wrong shape or count.

    It is a ValueError, and also an AssertionError, which is what Chainer's
    links raise in these cases (code written for Chainer catches that).
    """
