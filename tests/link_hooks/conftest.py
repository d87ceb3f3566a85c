"""Fixtures of the link hook tests."""

import pytest


@pytest.fixture(params=['linear', 'convolution_2d'])
def kind(request):
    """Which link :func:`make_link` builds."""
    return request.param
