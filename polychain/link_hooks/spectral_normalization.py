"""SpectralNormalization: divide a link's weight by its largest singular value."""

from __future__ import annotations

from typing import Any

import numpy

from polychain import functions as F
from polychain.backend.registry import get_namespace, to_host
from polychain.configuration import config, no_backprop_mode
from polychain.link_hooks.reparametrized_weight import ReparametrizedWeightHook
from polychain.parameter import Parameter
from polychain.variable import Variable


def l2normalize(xp: Any, v: Any, eps: float = 1e-12) -> Any:
    """``v / (||v||_2 + eps)`` on raw arrays.

    Args:
        xp: Array API namespace of ``v``.
        v: A vector.
        eps: Added to the norm for numerical stability.
    """
    return v / (xp.sqrt(xp.sum(v * v)) + eps)


def update_approximate_vectors(weight_matrix: Any, u: Any, n_power_iteration: int = 1,
                               eps: float = 1e-12) -> tuple[Any, Any]:
    """Power iteration towards the first left and right singular vectors of a matrix.

    Works on raw arrays and builds no graph.

    Args:
        weight_matrix: 2-D array of shape ``(out, in)``.
        u: Current approximation of the first left singular vector, shape ``(out,)``.
        n_power_iteration: Number of iterations.
        eps: Numerical stability in the normalisation.

    Returns:
        The new approximations ``(u, v)`` of the left and right singular vectors.
    """
    if isinstance(weight_matrix, Variable):
        weight_matrix = weight_matrix.array
    xp = get_namespace(weight_matrix)
    v = None
    for _ in range(n_power_iteration):
        v = l2normalize(xp, xp.matmul(u, weight_matrix), eps)
        u = l2normalize(xp, xp.matmul(weight_matrix, v), eps)
    return u, v


def calculate_max_singular_value(weight_matrix: Any, u: Any, v: Any) -> Variable:
    """``u^T W v``: the largest singular value of ``W`` estimated from ``u`` and ``v``.

    Gradients flow to ``weight_matrix``; ``u`` and ``v`` are constants.
    """
    return F.matmul(F.matmul(u, weight_matrix), v)


class SpectralNormalization(ReparametrizedWeightHook):
    """Spectral normalization: each call uses ``W / sigma(W)``.

    ``sigma(W)``, the largest singular value of ``W`` reshaped to
    ``(out, -1)``, is estimated by power iteration from a vector ``u``
    registered on the link as the persistent value ``<weight_name>_u``
    (saved by serializers, moved by ``to_device``). ``u`` is updated only
    when ``config.train`` is ``True``. Gradients flow to ``W`` through both
    ``W`` and ``sigma``, with ``u`` and ``v`` held constant.

    Attach it with :meth:`polychain.Link.add_hook`, preferably before the
    optimizer's ``setup`` so that ``gamma`` (with ``use_gamma``) is trained.

    See: T. Miyato et al., `Spectral Normalization for Generative Adversarial
    Networks <https://arxiv.org/abs/1802.05957>`_.

    Args:
        n_power_iteration: Power iterations per call (at least 1).
        eps: Numerical stability in the norm of the iterated vectors.
        use_gamma: Also register a Parameter ``gamma``, initialised to the
            largest singular value of the initial weight, that scales the
            normalised weight (``gamma * W / sigma``).
        factor: When given, ``sigma`` is divided by it (the weight is
            normalised to a largest singular value of ``factor``).
        weight_name: Name of the link's weight.
        name: Name of the hook (default ``'SpectralNormalization'``).

    Attributes:
        vector_name: Name of the persistent vector ``u`` on the link.
        v: The approximate right singular vector of the last call (``None`` before).
        axis: Axis of the weight that indexes outputs (1 for deconvolutions).
    """

    name = 'SpectralNormalization'

    def __init__(self, n_power_iteration: int = 1, eps: float = 1e-6, use_gamma: bool = False,
                 factor: float | None = None, weight_name: str = 'W',
                 name: str | None = None) -> None:
        if n_power_iteration < 1:
            raise ValueError(f'SpectralNormalization: expected n_power_iteration >= 1, '
                             f'received {n_power_iteration}')
        super().__init__(weight_name, name)
        self.n_power_iteration = n_power_iteration
        self.eps = eps
        self.use_gamma = use_gamma
        self.factor = factor
        self.vector_name = weight_name + '_u'
        self.v: Any = None
        self.axis = 0

    def added(self, link: Any = None) -> None:
        from polychain.links.connection.deconvolution_2d import Deconvolution2D
        from polychain.links.connection.deconvolution_nd import DeconvolutionND
        if isinstance(link, (Deconvolution2D, DeconvolutionND)):
            self.axis = 1
        super().added(link)

    def deleted(self, link: Any = None) -> None:
        if self.vector_name in link.__dict__:
            delattr(link, self.vector_name)
        if self.use_gamma and 'gamma' in link.__dict__:
            del link.gamma

    def prepare(self, link: Any, weight: Parameter) -> None:
        out_size = weight.shape[self.axis]
        if out_size == 0:
            raise ValueError(f'SpectralNormalization: expected {self.weight_name}.shape'
                             f'[{self.axis}] > 0, received the shape {weight.shape}')
        xp = link.device.namespace
        u = l2normalize(numpy, numpy.random.normal(size=(out_size,)))
        link.add_persistent(self.vector_name, xp.astype(link.device.send(u), weight.dtype))
        if self.use_gamma:
            with no_backprop_mode():
                matrix = to_host(self.reshape_W(weight).array)
            largest = numpy.linalg.svd(matrix, compute_uv=False)[0]
            gamma = xp.astype(link.device.send(numpy.asarray(largest)), weight.dtype)
            with link.init_scope():
                link.gamma = Parameter(gamma)

    def reparametrize(self, link: Any, weight: Parameter) -> Variable:
        return self.normalize_weight(link, weight)

    def normalize_weight(self, link: Any, weight: Variable) -> Variable:
        """``weight / sigma(weight)`` (times ``gamma`` with ``use_gamma``).

        Each call iterates ``u`` and ``v`` from the stored ``u``; the new ``u``
        is stored in training mode only. While ``config.in_recomputing`` (a
        forward run again to recompute activations), the stored ``u`` and
        ``v`` are used as they are, so the recomputed output is the same.
        """
        weight_matrix = self.reshape_W(weight)
        u = getattr(link, self.vector_name)
        recomputing = getattr(config, 'in_recomputing', False)
        if recomputing:
            v = self.v
        else:
            u, v = update_approximate_vectors(weight_matrix, u, self.n_power_iteration,
                                              self.eps)
        sigma = calculate_max_singular_value(weight_matrix, u, v)
        if self.factor is not None:
            sigma = sigma / self.factor
        if not recomputing:
            self.v = v
            if config.train:
                setattr(link, self.vector_name, u)
        if self.use_gamma:
            return link.gamma * weight / sigma
        return weight / sigma

    def reshape_W(self, weight: Variable) -> Variable:
        """The weight as a 2-D matrix ``(out, -1)``, the output axis first."""
        if self.axis != 0:
            weight = F.transpose(weight, [self.axis] + [i for i in range(weight.ndim)
                                                         if i != self.axis])
        if weight.ndim == 2:
            return weight
        return F.reshape(weight, (weight.shape[0], -1))
