"""The embedding layer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from polychain import initializers
from polychain.functions.connection.embed_id import embed_id
from polychain.link import Link
from polychain.links.connection.from_params import unwrap_params
from polychain.parameter import Parameter
from polychain.variable import Variable


class EmbedID(Link):
    """Efficient linear layer for one-hot input: maps integer ids to rows of ``W``.

    Args:
        in_size: Number of different ids (the vocabulary size).
        out_size: Size of each embedding vector.
        initialW: Initializer of ``W`` of shape ``(in_size, out_size)``
            (default :class:`~polychain.initializers.Normal` with scale 1).
        ignore_label: An id whose embedding is zero, or ``None``.

    Attributes:
        W: The embedding matrix.
    """

    ignore_label: int | None = None

    def __init__(self, in_size: int, out_size: int, initialW: Any = None,  # noqa: N803
                 ignore_label: int | None = None) -> None:
        super().__init__()
        self.ignore_label = ignore_label
        if initialW is None:
            initialW = initializers.Normal(1.0)  # noqa: N806
        with self.init_scope():
            self.W = Parameter(initializers.get_initializer(initialW), (in_size, out_size))

    @classmethod
    def from_params(cls, W: Any, ignore_label: int | None = None) -> EmbedID:  # noqa: N803
        """A layer initialised with the values of ``W``, on ``W``'s device."""
        in_size, out_size = W.shape
        W, _, device = unwrap_params(W, None, out_size, cls.__name__)  # noqa: N806
        return cls(in_size, out_size, W, ignore_label).to_device(device)

    @property
    def printable_specs(self) -> Iterator[tuple[str, Any]]:
        yield 'in_size', self.W.shape[0]
        yield 'out_size', self.W.shape[1]
        yield 'ignore_label', self.ignore_label

    def forward(self, x: Any) -> Variable:
        """Looks up the embeddings of the ids ``x`` (any integer array)."""
        return embed_id(x, self.W, ignore_label=self.ignore_label)
