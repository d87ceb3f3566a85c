"""ImageNet models with Chainer's layer names (``chainer.links.model.vision``): VGG16/19,
ResNet-50/101/152 and GoogLeNet, with their ``prepare`` helpers."""

from polychain.links.model.vision import googlenet, imagenet, resnet, vgg

__all__ = ['googlenet', 'imagenet', 'resnet', 'vgg']
