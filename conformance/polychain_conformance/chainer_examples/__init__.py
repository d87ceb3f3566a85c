"""Chainer's example scripts, run unchanged against polychain.

``python -m polychain_conformance.chainer_examples --examples PATH/examples``
runs each script of Chainer 7.8.1's ``examples`` folder in a subprocess, with
``import chainer`` resolving to polychain (:mod:`.bootstrap`), on small
generated data sets written in Chainer's dataset cache layout
(:mod:`.fixtures`), with the short command lines of :mod:`.catalogue`, and
writes a table of the outcomes (:mod:`.report`). The scripts reach no network:
``urllib`` gets generated files for the URLs the download scripts fetch, and
an error naming any other URL (:mod:`.network`).
"""
