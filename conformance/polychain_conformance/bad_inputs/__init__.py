"""The bad-input section of the conformance suite: wrong input must raise a clear error.

:func:`bad_input` registers a case (a call that must raise), :data:`BAD_INPUTS`
holds them, :class:`BadInputSuite` runs them on devices as report cells, and
:func:`unchanged` checks that a failed call left its target link as it was.
Importing the package registers the cases of its modules.
"""

from polychain_conformance.bad_inputs import (  # noqa: F401  (registers cases)
    deserializers,
    labels_and_ids,
)
from polychain_conformance.bad_inputs.registry import (
    BAD_INPUTS,
    BadInput,
    TargetChanged,
    bad_input,
    unchanged,
)
from polychain_conformance.bad_inputs.suite import BadInputSuite

__all__ = ['BAD_INPUTS', 'BadInput', 'BadInputSuite', 'TargetChanged', 'bad_input', 'unchanged']
