"""Exporters of computational graphs to other frameworks' formats (Chainer's
``chainer.exporters``)."""

from polychain.exporters import caffe

__all__ = ['caffe']
