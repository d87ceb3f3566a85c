"""Array manipulation: shapes, joins and splits, indexing, padding, resampling and devices."""

from polychain.functions.array.broadcast import broadcast, broadcast_to, sum_to
from polychain.functions.array.cast import cast
from polychain.functions.array.concat import concat, split_axis
from polychain.functions.array.copy import copy
from polychain.functions.array.depth2space import depth2space, space2depth
from polychain.functions.array.diagonal import diagonal
from polychain.functions.array.flip import flip, fliplr, flipud
from polychain.functions.array.get_item import get_item
from polychain.functions.array.im2col import im2col
from polychain.functions.array.pad import pad, pad_sequence
from polychain.functions.array.permutate import permutate
from polychain.functions.array.reshape import expand_dims, flatten, reshape, squeeze
from polychain.functions.array.resize_images import resize_images
from polychain.functions.array.scatter_add import scatter_add
from polychain.functions.array.select_item import select_item
from polychain.functions.array.stack import dstack, hstack, separate, stack, vstack
from polychain.functions.array.tile import repeat, tile
from polychain.functions.array.transpose import moveaxis, rollaxis, swapaxes, transpose
from polychain.functions.array.transpose_sequence import transpose_sequence
from polychain.functions.array.where import where

__all__ = [
    'broadcast', 'broadcast_to', 'cast', 'concat', 'copy', 'depth2space', 'diagonal', 'dstack',
    'expand_dims', 'flatten', 'flip', 'fliplr', 'flipud', 'get_item', 'hstack', 'im2col',
    'moveaxis', 'pad', 'pad_sequence', 'permutate', 'repeat', 'reshape', 'resize_images',
    'rollaxis', 'scatter_add', 'select_item', 'separate', 'space2depth', 'split_axis', 'squeeze',
    'stack', 'sum_to', 'swapaxes', 'tile', 'transpose', 'transpose_sequence', 'vstack', 'where',
]
