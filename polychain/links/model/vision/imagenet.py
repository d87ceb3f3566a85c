"""What the ImageNet models share: image preparation, pretrained weights, and the
``forward``/``extract``/``predict`` of a chain described by an ordered list of layers.

Preparing images needs Pillow (``available`` says whether it imports).
"""

from __future__ import annotations

import itertools
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy

from polychain.backend import to_host
from polychain.configuration import get_dtype, no_backprop_mode, using_config
from polychain.dataset.convert import concat_examples
from polychain.dataset.download import get_dataset_directory
from polychain.functions.array.reshape import reshape
from polychain.functions.math.sum import mean
from polychain.link import Chain, Link
from polychain.links.caffe.caffe_function import CaffeFunction
from polychain.serializers.npz import load_npz, save_npz
from polychain.utils.argument import check_unexpected_kwargs
from polychain.variable import Variable

try:
    from PIL import Image
    available = True
    _import_error: ImportError | None = None
except ImportError as error:  # pragma: no cover - Pillow is installed where tests run
    available = False
    _import_error = error

#: Where ``pretrained_model='auto'`` looks for weights already converted by Chainer.
MODEL_DIRECTORY = 'pfnet/chainer/models/'

_NO_TEST = 'test argument is not supported anymore. Use chainer.using_config'
_NO_VOLATILE = 'volatile argument is not supported anymore. Use chainer.using_config'


def preparer(model: str, mean_bgr: Sequence[float]) -> Callable[..., Any]:
    """The ``prepare`` function of a model module: :func:`prepare_image` with its mean."""

    def prepare(image: Any, size: Sequence[int] | None = (224, 224)) -> Any:
        return prepare_image(image, size, mean_bgr)

    prepare.__doc__ = f"""Converts an RGB image (PIL or array) to {model}'s input: BGR, mean
    subtracted, CHW.

    Args:
        image: A PIL image or an array of shape ``(H, W)``, ``(H, W, C)`` or
            ``(C, H, W)``.
        size: ``(width, height)`` to resize to; ``None`` keeps the size.

    Returns:
        numpy.ndarray: An array of shape ``(3, H, W)`` and ``config.dtype``.
    """
    return prepare


def prepare_image(image: Any, size: Sequence[int] | None, mean_bgr: Sequence[float]) -> Any:
    """An RGB image as a ``(3, H, W)`` BGR array of ``config.dtype`` minus ``mean_bgr``.

    Args:
        image: A PIL image, or an array of shape ``(H, W)``, ``(H, W, C)`` or
            ``(C, H, W)`` (C being 1 or 3) with RGB channels.
        size: ``(width, height)`` to resize to, or ``None`` to keep the size.
        mean_bgr: The mean pixel subtracted, in BGR order.

    Raises:
        ImportError: Pillow is not installed.
    """
    if not available:
        raise ImportError(f'PIL cannot be loaded. Install Pillow!\n'
                          f'The actual import error is as follows:\n{_import_error}')
    dtype = numpy.dtype(get_dtype())
    if isinstance(image, numpy.ndarray):
        if image.ndim == 3 and image.shape[0] == 1:
            image = image[0]
        elif image.ndim == 3 and image.shape[0] == 3:
            image = image.transpose(1, 2, 0)
        image = Image.fromarray(image.astype(numpy.uint8))
    image = image.convert('RGB')
    if size:
        image = image.resize(tuple(size))
    bgr = numpy.asarray(image, dtype=dtype)[:, :, ::-1]
    return (bgr - numpy.asarray(mean_bgr, dtype=dtype)).transpose(2, 0, 1)


def ten_crops(images: numpy.ndarray, crop_dims: Sequence[int]) -> numpy.ndarray:
    """Ten crops of each ``(C, H, W)`` image: four corners and the centre, then their mirrors.

    Returns:
        An array of shape ``(10 * N, C, crop_h, crop_w)``, ten crops per image in a row.
    """
    n, channels, height, width = images.shape
    crop_h, crop_w = crop_dims
    tops = (0, 0, height - crop_h, height - crop_h, (height - crop_h) // 2)
    lefts = (0, width - crop_w, 0, width - crop_w, (width - crop_w) // 2)
    crops = numpy.stack([images[:, :, top:top + crop_h, left:left + crop_w]
                         for top, left in zip(tops, lefts)], axis=1)
    crops = numpy.concatenate([crops, crops[..., ::-1]], axis=1)
    return crops.reshape(n * 10, channels, crop_h, crop_w)


class ImageNetLayers(Chain):
    """A chain computed as an ordered list of named layers, each a list of callables.

    Subclasses define :attr:`functions`, ``_prepare`` (their ``prepare``) and
    ``_extract_layers`` (the default layers of :meth:`extract`); a layer
    listed in ``_branch_inputs`` starts from the output of another layer
    instead of the previous one (GoogLeNet's auxiliary classifiers).
    """

    _branch_inputs: dict[str, str] = {}
    _extract_layers: tuple[str, ...] = ()

    @staticmethod
    def _prepare(image: Any, size: Sequence[int] | None = (224, 224)) -> Any:
        raise NotImplementedError

    @property
    def functions(self) -> OrderedDict[str, list[Callable[[Any], Any]]]:
        """The layers in order: name -> the callables applied one after the other."""
        raise NotImplementedError

    @property
    def available_layers(self) -> list[str]:
        """The names that ``forward`` and ``extract`` accept in ``layers``."""
        return list(self.functions)

    def forward(self, x: Any, layers: Iterable[str] | None = None,
                **kwargs: Any) -> dict[str, Variable]:
        """forward(self, x, layers=['prob'])

        Computes the outputs of ``layers`` (stopping after the last one needed).

        Args:
            x: A batch of prepared images (see ``prepare``).
            layers (list of str): Names among :attr:`available_layers`.

        Returns:
            dict: Layer name -> its output Variable.
        """
        check_unexpected_kwargs(kwargs, test=_NO_TEST)
        if kwargs:
            raise TypeError(f'{type(self).__name__}.forward: unexpected keyword arguments '
                            f'{sorted(kwargs)}')
        wanted = set(['prob'] if layers is None else layers)
        unknown = wanted - set(self.functions)
        if unknown:
            raise ValueError(f'{type(self).__name__}.forward: unknown layers {sorted(unknown)}; '
                             f'expected names among {self.available_layers}')
        sources = set(self._branch_inputs.values())
        kept: dict[str, Any] = {}
        outputs: dict[str, Variable] = {}
        h = x
        for name, funcs in self.functions.items():
            if not wanted:
                break
            if name in self._branch_inputs:
                h = kept[self._branch_inputs[name]]
            for func in funcs:
                h = func(h)
            if name in sources:
                kept[name] = h
            if name in wanted:
                outputs[name] = h
                wanted.discard(name)
        return outputs

    def extract(self, images: Iterable[Any], layers: Iterable[str] | None = None,
                size: Sequence[int] | None = (224, 224), **kwargs: Any) -> dict[str, Variable]:
        """Prepares ``images`` (PIL images or RGB arrays) and runs :meth:`forward`.

        Unlike :meth:`predict` it keeps ``config.train`` and ``enable_backprop``.

        Args:
            images: The images.
            layers (list of str): The layers to compute (the model's feature layer
                by default).
            size: The size images are resized to; ``None`` keeps them (then they
                must all have one size).
        """
        check_unexpected_kwargs(kwargs, test=_NO_TEST, volatile=_NO_VOLATILE)
        if kwargs:
            raise TypeError(f'{type(self).__name__}.extract: unexpected keyword arguments '
                            f'{sorted(kwargs)}')
        layers = list(self._extract_layers) if layers is None else layers
        x = concat_examples([self._prepare(image, size=size) for image in images])
        return self(Variable(self.device.send(x)), layers=layers)

    def predict(self, images: Iterable[Any], oversample: bool = True) -> Variable:
        """Class probabilities of ``images``, in test mode and without a graph.

        Args:
            images: PIL images or RGB arrays, resized to 256 x 256.
            oversample (bool): Average over ten 224 x 224 crops (corners, centre
                and mirrors) instead of using the centre crop.

        Returns:
            ~polychain.Variable: Probabilities of shape ``(len(images), 1000)``.
        """
        x = concat_examples([self._prepare(image, size=(256, 256)) for image in images])
        x = ten_crops(x, (224, 224)) if oversample else x[:, :, 16:240, 16:240]
        with no_backprop_mode(), using_config('train', False):
            y = self(Variable(self.device.send(x)), layers=['prob'])['prob']
            if oversample:
                y = mean(reshape(y, (len(y) // 10, 10) + y.shape[1:]), axis=1)
        return y

    def _caffe_layers(self) -> list[tuple[str, str | tuple[str, str]]]:
        """Where :meth:`convert_caffemodel_to_npz` takes each link's arrays from: pairs of the
        link's path and the name of a Caffe convolution or inner product layer (its ``W``
        and ``b``), or, for a batch normalization, the names of a Caffe ``BatchNorm`` layer
        (the statistics) and of the ``Scale`` layer after it (``gamma`` and ``beta``)."""
        raise NotImplementedError

    @classmethod
    def convert_caffemodel_to_npz(cls, path_caffemodel: str, path_npz: str) -> None:
        """Converts the original Caffe model into the NPZ file that ``pretrained_model`` reads.

        The model's links take the blobs of the Caffe layers of the same role (read with
        :class:`~polychain.links.caffe.CaffeFunction`); the file is written with
        ``save_npz(path_npz, model, compression=False)``.

        Args:
            path_caffemodel (str): The ``.caffemodel`` file.
            path_npz (str): The NPZ file to write.

        Raises:
            AttributeError: The Caffe model lacks a layer that the model needs.
            ValueError: A blob's shape differs from the parameter's.
        """
        cls._convert_caffemodel(path_caffemodel, path_npz, cls(pretrained_model=None))

    @staticmethod
    def _convert_caffemodel(path_caffemodel: str, path_npz: str, model: ImageNetLayers) -> None:
        copy_caffe_layers(CaffeFunction(path_caffemodel), model)
        save_npz(path_npz, model, compression=False)

    def _load_pretrained(self, pretrained_model: str | None, auto_name: str,
                         auto: bool = False) -> None:
        """Loads the NPZ ``pretrained_model``; ``'auto'`` (or ``auto``) reads the converted
        file ``auto_name`` in the model cache, and downloads nothing.

        Raises:
            FileNotFoundError: ``'auto'`` and no converted file is cached.
        """
        if not pretrained_model:
            return
        if auto or pretrained_model == 'auto':
            path = os.path.join(get_dataset_directory(MODEL_DIRECTORY, False), auto_name)
            if not os.path.exists(path):
                name = type(self).__name__
                raise FileNotFoundError(
                    f'{name}(pretrained_model={pretrained_model!r}) reads the converted weights '
                    f'{path}, which do not exist. polychain downloads nothing: '
                    f'{name}.convert_caffemodel_to_npz(path_caffemodel, {path!r}) converts '
                    f'the original Caffe model, once downloaded, into that file. Or put a '
                    f'converted file there, pass the path of one as pretrained_model, or pass '
                    f'pretrained_model=None for randomly initialised weights. '
                    f'{_NPZ_LAYOUT.format(name=name)} '
                    f'({", ".join(repr(key) for key in _first_keys(self))}, ...).')
            pretrained_model = path
        load_npz(pretrained_model, self)


#: What a converted file holds (said where one is missing).
_NPZ_LAYOUT = ("The file is an NPZ of the model's parameters as "
               '{name}.convert_caffemodel_to_npz writes it (a file that Chainer converted can '
               'be copied as it is), or as save_npz(path, model) writes it for a {name} '
               'holding the weights: one array per parameter, named by its path in the model')


def copy_caffe_layers(caffe: Any, model: ImageNetLayers) -> None:
    """Copies into ``model`` the blobs of the Caffe layers its ``_caffe_layers`` names.

    Args:
        caffe: A :class:`~polychain.links.caffe.CaffeFunction` (its links are named as the
            Caffe layers).
        model: The model whose parameters and statistics are set.

    Raises:
        AttributeError: ``caffe`` has no layer of a name given, or the layer lacks a blob.
        ValueError: A blob's shape differs from the parameter's.
    """
    where = f'{type(model).__name__}.convert_caffemodel_to_npz'
    links = dict(model.namedlinks(skipself=True))
    for path, layers in model._caffe_layers():
        link = links[f'/{path}']
        for attribute, layer, source in _caffe_arrays(link, layers):
            target = f'{path}/{attribute}'
            value = getattr(caffe, layer, None)
            if value is None:
                raise AttributeError(f'{where}: the Caffe model has no layer {layer!r}, from '
                                     f'which {target} is copied')
            for name in source.split('/'):
                value = getattr(value, name, None)
            if value is None:
                raise AttributeError(f'{where}: the Caffe layer {layer!r} has no {source}, '
                                     f'from which {target} is copied')
            value = to_host(getattr(value, 'array', value))
            current = getattr(link, attribute)
            if tuple(value.shape) != tuple(current.shape):
                raise ValueError(f'{where}: {target} has the shape {tuple(current.shape)}, '
                                 f'but {source} of the Caffe layer {layer!r} has the shape '
                                 f'{tuple(value.shape)}')
            array = link.device.send(numpy.array(value, dtype=current.dtype))
            if isinstance(current, Variable):
                current.array = array
            else:
                setattr(link, attribute, array)


def _caffe_arrays(link: Link, layers: str | tuple[str, str]) -> list[tuple[str, str, str]]:
    """(attribute of ``link``, Caffe layer, attribute path in that layer) of each array copied
    from ``layers`` (see ``ImageNetLayers._caffe_layers``)."""
    if isinstance(layers, str):
        return [(name, layers, name) for name in ('W', 'b') if getattr(link, name) is not None]
    batch_norm, scale = layers
    return [('avg_mean', batch_norm, 'avg_mean'), ('avg_var', batch_norm, 'avg_var'),
            ('gamma', scale, 'W'), ('beta', scale, 'bias/b')]


def _first_keys(model: Chain, count: int = 2) -> list[str]:
    """The keys of the first ``count`` parameters in an NPZ of ``model``."""
    return [name.lstrip('/') for name, _ in itertools.islice(model.namedparams(), count)]
