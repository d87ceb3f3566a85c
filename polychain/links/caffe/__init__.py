"""Caffe models as Chains (Chainer's ``chainer.links.caffe``)."""

from polychain.links.caffe.caffe_function import CaffeFunction

__all__ = ['CaffeFunction']
