"""FreezeParameters: the chosen parameters keep their values."""

import numpy
import pytest
from optimizers.stepping import fixed_values, run_steps

from polychain import optimizer_hooks, optimizers


@pytest.mark.parametrize(('targets', 'frozen'), [('/p1', {1}), (['/p0', '/p1'], {0, 1}),
                                                 (['/'], {0, 1}), ('/p', set())])
def test_frozen_parameters_keep_their_values(targets, frozen, device):
    p0, g0 = fixed_values((3, 4), seed=0)
    p1, g1 = fixed_values((5,), seed=1)
    history = run_steps(optimizers.SGD(lr=1.0), device, [p0, p1], list(zip(g0, g1)),
                        hooks=[optimizer_hooks.FreezeParameters(targets)])
    for i, (initial, grads) in enumerate(((p0, g0), (p1, g1))):
        expected = initial
        for step, g in zip(history, grads):
            expected = expected if i in frozen else expected - g
            numpy.testing.assert_allclose(step[i], expected, rtol=1e-12)


def test_paths_must_start_with_a_slash():
    with pytest.raises(ValueError, match="FreezeParameters: expected paths such as '/l1'"):
        optimizer_hooks.FreezeParameters('l1')
