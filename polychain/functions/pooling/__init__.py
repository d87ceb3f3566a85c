"""Pooling functions."""

from polychain.functions.pooling.average_pooling import (
    average_pooling_1d,
    average_pooling_2d,
    average_pooling_3d,
    average_pooling_nd,
)
from polychain.functions.pooling.max_pooling import (
    max_pooling_1d,
    max_pooling_2d,
    max_pooling_3d,
    max_pooling_nd,
)
from polychain.functions.pooling.roi_align import roi_average_align_2d
from polychain.functions.pooling.roi_pooling import (
    roi_average_pooling_2d,
    roi_max_pooling_2d,
    roi_pooling_2d,
)
from polychain.functions.pooling.spatial_pyramid_pooling import spatial_pyramid_pooling_2d
from polychain.functions.pooling.unpooling import (
    unpooling_1d,
    unpooling_2d,
    unpooling_3d,
    unpooling_nd,
    upsampling_2d,
)

__all__ = [
    'average_pooling_1d', 'average_pooling_2d', 'average_pooling_3d', 'average_pooling_nd',
    'max_pooling_1d', 'max_pooling_2d', 'max_pooling_3d', 'max_pooling_nd',
    'roi_average_align_2d', 'roi_average_pooling_2d', 'roi_max_pooling_2d', 'roi_pooling_2d',
    'spatial_pyramid_pooling_2d', 'unpooling_1d', 'unpooling_2d', 'unpooling_3d', 'unpooling_nd',
    'upsampling_2d',
]
