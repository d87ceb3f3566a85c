"""discriminative_margin_based_clustering_loss: pull pixel embeddings to their instance's
centre, push the centres apart (De Brabandere et al., https://arxiv.org/abs/1708.02551).

Instance ``k`` (``k = 1 .. K``, with ``K = max_embedding_dim``) is the set of
pixels labelled ``k``; label 0 and labels above ``K`` belong to no instance.
The centre of an instance in an image is the mean embedding of its pixels (0
where it has none).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from polychain.functions.activation.relu import relu
from polychain.functions.array.reshape import expand_dims, reshape
from polychain.functions.array.transpose import transpose
from polychain.functions.math.basic_math import absolute
from polychain.functions.math.exponential import sqrt
from polychain.functions.math.matmul import matmul
from polychain.functions.math.sum import sum as sum_
from polychain.variable import Variable, as_variable


def _l1(v: Variable, axis: Any) -> Variable:
    return sum_(absolute(v), axis=axis)


def _l2(v: Variable, axis: Any) -> Variable:
    """The Euclidean norm, with a zero (not NaN) gradient where the norm is 0."""
    squares = sum_(v * v, axis=axis)
    xp = v.device.namespace
    nonzero = squares.array > 0
    return sqrt(squares + xp.astype(~nonzero, v.dtype)) * xp.astype(nonzero, v.dtype)


_NORMS: dict[int, Callable[[Variable, Any], Variable]] = {1: _l1, 2: _l2}


def _pair_differences(xp: Any, n: int, dtype: Any, device: Any) -> Any:
    """``(n, n (n - 1) / 2)``: column ``p`` of pair ``(a, b)``, ``a < b``, is ``e_a - e_b``."""
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    firsts = xp.asarray([a for a, _ in pairs], dtype=xp.int32, device=device)
    seconds = xp.asarray([b for _, b in pairs], dtype=xp.int32, device=device)
    rows = xp.reshape(xp.arange(n, dtype=xp.int32, device=device), (n, 1))
    return xp.astype(rows == firsts, dtype) - xp.astype(rows == seconds, dtype)


def discriminative_margin_based_clustering_loss(
        embeddings: Any, labels: Any, delta_v: float, delta_d: float, max_embedding_dim: int,
        norm: int = 1, alpha: float = 1.0, beta: float = 1.0,
        gamma: float = 0.001) -> tuple[Variable, Variable, Variable]:
    """Discriminative margin-based clustering loss for instance segmentation.

    Three terms, each averaged over the instances:

    - variance (pull): ``relu(|mean_k - e_p| - delta_v) ** 2`` over the pixels
      ``p`` of instance ``k``, divided by its number of pixels in the batch;
    - distance (push): ``relu(2 delta_d - |mean_a - mean_b|) ** 2`` over the
      pairs of instances and the images;
    - regularisation: the norm of the centres.

    Args:
        embeddings: Pixel embeddings, shape ``(B, K, H, W)``.
        labels: Instance of each pixel, integer array of shape ``(B, H, W)``.
        delta_v: Distance to its centre under which a pixel is not pulled.
        delta_d: Half the distance between centres over which they are not pushed.
        max_embedding_dim: ``K``, the embedding size and the number of instances.
        norm: 1 or 2, the norm of distances.
        alpha: Weight of the variance term.
        beta: Weight of the distance term.
        gamma: Weight of the regularisation term.

    Returns:
        ``(alpha * variance, beta * distance, gamma * regularisation)``, scalars.

    Raises:
        ValueError: ``norm`` is not 1 or 2, ``max_embedding_dim`` is not positive or
            differs from ``embeddings.shape[1]``.
    """
    if norm not in _NORMS:
        raise ValueError(f'discriminative_margin_based_clustering_loss: expected norm 1 or 2, '
                         f'received {norm!r}')
    if max_embedding_dim <= 0:
        raise ValueError(f'discriminative_margin_based_clustering_loss: expected a positive '
                         f'max_embedding_dim, received {max_embedding_dim}')
    embeddings = as_variable(embeddings)
    labels = labels.array if isinstance(labels, Variable) else labels
    if embeddings.ndim != 4 or embeddings.shape[1] != max_embedding_dim or \
            tuple(labels.shape) != embeddings.shape[:1] + embeddings.shape[2:]:
        raise ValueError(f'discriminative_margin_based_clustering_loss: expected embeddings of '
                         f'shape (B, {max_embedding_dim}, H, W) and labels of shape (B, H, W), '
                         f'received {embeddings.shape} and {tuple(labels.shape)}')
    distance = _NORMS[norm]
    xp = embeddings.device.namespace
    device = embeddings.device.native
    batch, k, height, width = embeddings.shape
    dtype = embeddings.dtype
    flat = reshape(embeddings, (batch, k, height * width))                     # (B, D, P)
    instances = xp.reshape(xp.arange(1, k + 1, dtype=labels.dtype, device=device), (1, 1, k))
    masks = xp.astype(xp.reshape(labels, (batch, height * width, 1)) == instances, dtype)
    sizes = xp.sum(masks, axis=1)                                                # (B, K)
    means = transpose(matmul(flat, masks), (0, 2, 1)) / \
        xp.reshape(xp.maximum(sizes, 1), (batch, k, 1))                          # (B, K, D)

    regularisation = sum_(distance(transpose(means, (1, 0, 2)), (1, 2))) / (k * batch)

    pixel_masks = xp.reshape(xp.permute_dims(masks, (0, 2, 1)), (batch, k, 1, height * width))
    offsets = (expand_dims(means, 3) - expand_dims(flat, 1)) * pixel_masks      # (B, K, D, P)
    pulls = sum_(relu(distance(offsets, 2) - delta_v) ** 2, axis=(0, 2))        # (K,)
    variance = sum_(pulls / xp.maximum(xp.sum(sizes, axis=0), 1)) / k

    pairs = _pair_differences(xp, k, dtype, device)
    gaps = reshape(matmul(reshape(transpose(means, (0, 2, 1)), (batch * k, k)), pairs),
                   (batch, k, pairs.shape[1]))                                   # (B, D, pairs)
    pushes = sum_(relu(2 * delta_d - distance(gaps, 1)) ** 2)
    distance_term = pushes / max(pairs.shape[1] * batch, 1)
    return alpha * variance, beta * distance_term, gamma * regularisation
