"""Normalization links."""

from polychain.links.normalization.batch_normalization import BatchNormalization
from polychain.links.normalization.batch_renormalization import BatchRenormalization
from polychain.links.normalization.decorrelated_batch_normalization import (
    DecorrelatedBatchNormalization,
)
from polychain.links.normalization.group_normalization import GroupNormalization
from polychain.links.normalization.layer_normalization import LayerNormalization

__all__: list[str] = ['BatchNormalization', 'BatchRenormalization',
                      'DecorrelatedBatchNormalization', 'GroupNormalization',
                      'LayerNormalization']
