"""Links wrapping Theano functions (Chainer's ``chainer.links.theano``)."""

from polychain.links.theano.theano_function import TheanoFunction

__all__ = ['TheanoFunction']
