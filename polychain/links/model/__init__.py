"""Links that wrap whole models."""

from polychain.links.model.classifier import Classifier

__all__ = ['Classifier']
