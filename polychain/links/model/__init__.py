"""Links that wrap whole models: the Classifier and the ImageNet model zoo."""

from polychain.links.model import vision  # noqa: F401 (chainer.links.model.vision)
from polychain.links.model.classifier import Classifier
from polychain.links.model.vision.googlenet import GoogLeNet
from polychain.links.model.vision.resnet import ResNet50Layers, ResNet101Layers, ResNet152Layers
from polychain.links.model.vision.vgg import VGG16Layers, VGG19Layers

__all__ = ['Classifier', 'GoogLeNet', 'ResNet101Layers', 'ResNet152Layers', 'ResNet50Layers',
           'VGG16Layers', 'VGG19Layers']
