"""Normalization functions."""

from polychain.functions.normalization.batch_normalization import (
    batch_normalization,
    fixed_batch_normalization,
)
from polychain.functions.normalization.batch_renormalization import batch_renormalization
from polychain.functions.normalization.group_normalization import group_normalization
from polychain.functions.normalization.l2_normalization import normalize
from polychain.functions.normalization.layer_normalization import layer_normalization
from polychain.functions.normalization.local_response_normalization import (
    local_response_normalization,
)

__all__ = ['batch_normalization', 'batch_renormalization', 'fixed_batch_normalization',
           'group_normalization', 'layer_normalization', 'local_response_normalization',
           'normalize']
