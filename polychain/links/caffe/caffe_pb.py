"""The messages of Caffe's ``caffe.proto`` that model files and the layers CaffeFunction
reads use, with Caffe's field numbers, types and defaults.

Only the fields that CaffeFunction and the exporter read or write are declared;
others are skipped when a file is read. Enum values are class attributes, as in
protoc's Python classes (``PoolingParameter.MAX``, ``V1LayerParameter.CONVOLUTION``).
"""

from __future__ import annotations

from polychain.links.caffe.protobuf import Message, field, repeated

#: ``Phase``: the train or test net.
PHASE = {'TRAIN': 0, 'TEST': 1}
TRAIN, TEST = PHASE['TRAIN'], PHASE['TEST']
_ENGINE = {'DEFAULT': 0, 'CAFFE': 1, 'CUDNN': 2}


class BlobShape(Message):
    FIELDS = {'dim': repeated(1, 'int64', packed=True)}


class BlobProto(Message):
    FIELDS = {
        'num': field(1, 'int64'), 'channels': field(2, 'int64'),
        'height': field(3, 'int64'), 'width': field(4, 'int64'),
        'data': repeated(5, 'float', packed=True), 'diff': repeated(6, 'float', packed=True),
        'shape': field(7, BlobShape),
        'double_data': repeated(8, 'double', packed=True),
        'double_diff': repeated(9, 'double', packed=True),
    }


class ConcatParameter(Message):
    FIELDS = {'concat_dim': field(1, 'uint32', 1), 'axis': field(2, 'int32', 1)}


class ConvolutionParameter(Message):
    FIELDS = {
        'num_output': field(1, 'uint32'), 'bias_term': field(2, 'bool', True),
        'pad': repeated(3, 'uint32'), 'kernel_size': repeated(4, 'uint32'),
        'group': field(5, 'uint32', 1), 'stride': repeated(6, 'uint32'),
        'pad_h': field(9, 'uint32', 0), 'pad_w': field(10, 'uint32', 0),
        'kernel_h': field(11, 'uint32'), 'kernel_w': field(12, 'uint32'),
        'stride_h': field(13, 'uint32'), 'stride_w': field(14, 'uint32'),
        'engine': field(15, 'enum', 0, _ENGINE), 'axis': field(16, 'int32', 1),
        'dilation': repeated(18, 'uint32'),
    }


class DropoutParameter(Message):
    FIELDS = {'dropout_ratio': field(1, 'float', 0.5)}


class EltwiseParameter(Message):
    OPERATION = {'PROD': 0, 'SUM': 1, 'MAX': 2}
    PROD, SUM, MAX = 0, 1, 2
    FIELDS = {
        'operation': field(1, 'enum', SUM, OPERATION), 'coeff': repeated(2, 'float'),
        'stable_prod_grad': field(3, 'bool', True),
    }


class InnerProductParameter(Message):
    FIELDS = {
        'num_output': field(1, 'uint32'), 'bias_term': field(2, 'bool', True),
        'axis': field(5, 'int32', 1), 'transpose': field(6, 'bool', False),
    }


class InputParameter(Message):
    FIELDS = {'shape': repeated(1, BlobShape)}


class LRNParameter(Message):
    NORM_REGION = {'ACROSS_CHANNELS': 0, 'WITHIN_CHANNEL': 1}
    ACROSS_CHANNELS, WITHIN_CHANNEL = 0, 1
    FIELDS = {
        'local_size': field(1, 'uint32', 5), 'alpha': field(2, 'float', 1.0),
        'beta': field(3, 'float', 0.75),
        'norm_region': field(4, 'enum', ACROSS_CHANNELS, NORM_REGION),
        'k': field(5, 'float', 1.0), 'engine': field(6, 'enum', 0, _ENGINE),
    }


class PoolingParameter(Message):
    POOL_METHOD = {'MAX': 0, 'AVE': 1, 'STOCHASTIC': 2}
    MAX, AVE, STOCHASTIC = 0, 1, 2
    FIELDS = {
        'pool': field(1, 'enum', MAX, POOL_METHOD), 'kernel_size': field(2, 'uint32'),
        'stride': field(3, 'uint32', 1), 'pad': field(4, 'uint32', 0),
        'kernel_h': field(5, 'uint32'), 'kernel_w': field(6, 'uint32'),
        'stride_h': field(7, 'uint32'), 'stride_w': field(8, 'uint32'),
        'pad_h': field(9, 'uint32', 0), 'pad_w': field(10, 'uint32', 0),
        'engine': field(11, 'enum', 0, _ENGINE), 'global_pooling': field(12, 'bool', False),
    }


class ReLUParameter(Message):
    FIELDS = {'negative_slope': field(1, 'float', 0.0), 'engine': field(2, 'enum', 0, _ENGINE)}


class ReshapeParameter(Message):
    FIELDS = {'shape': field(1, BlobShape), 'axis': field(2, 'int32', 0),
              'num_axes': field(3, 'int32', -1)}


class BatchNormParameter(Message):
    FIELDS = {'use_global_stats': field(1, 'bool'),
              'moving_average_fraction': field(2, 'float', 0.999),
              'eps': field(3, 'float', 1e-5)}


class ScaleParameter(Message):
    FIELDS = {'axis': field(1, 'int32', 1), 'num_axes': field(2, 'int32', 1),
              'bias_term': field(4, 'bool', False)}


class SigmoidParameter(Message):
    FIELDS = {'engine': field(1, 'enum', 0, _ENGINE)}


class SoftmaxParameter(Message):
    FIELDS = {'engine': field(1, 'enum', 0, _ENGINE), 'axis': field(2, 'int32', 1)}


class SliceParameter(Message):
    FIELDS = {'slice_dim': field(1, 'uint32', 1), 'slice_point': repeated(2, 'uint32'),
              'axis': field(3, 'int32', 1)}


#: The layer-specific parameters of LayerParameter: name -> (message, field number).
_LAYER_PARAMETERS = {
    'concat_param': (ConcatParameter, 104), 'convolution_param': (ConvolutionParameter, 106),
    'dropout_param': (DropoutParameter, 108), 'eltwise_param': (EltwiseParameter, 110),
    'inner_product_param': (InnerProductParameter, 117), 'lrn_param': (LRNParameter, 118),
    'pooling_param': (PoolingParameter, 121), 'relu_param': (ReLUParameter, 123),
    'sigmoid_param': (SigmoidParameter, 124), 'softmax_param': (SoftmaxParameter, 125),
    'slice_param': (SliceParameter, 126), 'reshape_param': (ReshapeParameter, 133),
    'batch_norm_param': (BatchNormParameter, 139), 'scale_param': (ScaleParameter, 142),
    'input_param': (InputParameter, 143),
}


class LayerParameter(Message):
    FIELDS = {
        'name': field(1, 'string'), 'type': field(2, 'string'),
        'bottom': repeated(3, 'string'), 'top': repeated(4, 'string'),
        'loss_weight': repeated(5, 'float'), 'blobs': repeated(7, BlobProto),
        'phase': field(10, 'enum', TRAIN, PHASE),
        **{name: field(number, kind) for name, (kind, number) in _LAYER_PARAMETERS.items()},
    }


#: V1LayerParameter's numbers of the same parameters (Caffe's format until 2015).
_V1_LAYER_PARAMETERS = {
    'concat_param': 9, 'convolution_param': 10, 'dropout_param': 12, 'eltwise_param': 24,
    'inner_product_param': 17, 'lrn_param': 18, 'pooling_param': 19, 'relu_param': 30,
    'sigmoid_param': 38, 'softmax_param': 39, 'slice_param': 31,
}


class V1LayerParameter(Message):
    LAYER_TYPE = {
        'NONE': 0, 'ABSVAL': 35, 'ACCURACY': 1, 'ARGMAX': 30, 'BNLL': 2, 'CONCAT': 3,
        'CONTRASTIVE_LOSS': 37, 'CONVOLUTION': 4, 'DATA': 5, 'DECONVOLUTION': 39, 'DROPOUT': 6,
        'DUMMY_DATA': 32, 'EUCLIDEAN_LOSS': 7, 'ELTWISE': 25, 'EXP': 38, 'FLATTEN': 8,
        'HDF5_DATA': 9, 'HDF5_OUTPUT': 10, 'HINGE_LOSS': 28, 'IM2COL': 11, 'IMAGE_DATA': 12,
        'INFOGAIN_LOSS': 13, 'INNER_PRODUCT': 14, 'LRN': 15, 'MEMORY_DATA': 29,
        'MULTINOMIAL_LOGISTIC_LOSS': 16, 'MVN': 34, 'POOLING': 17, 'POWER': 26, 'RELU': 18,
        'SIGMOID': 19, 'SIGMOID_CROSS_ENTROPY_LOSS': 27, 'SILENCE': 36, 'SOFTMAX': 20,
        'SOFTMAX_LOSS': 21, 'SPLIT': 22, 'SLICE': 33, 'TANH': 23, 'WINDOW_DATA': 24,
        'THRESHOLD': 31,
    }
    FIELDS = {
        'bottom': repeated(2, 'string'), 'top': repeated(3, 'string'),
        'name': field(4, 'string'), 'type': field(5, 'enum', 0, LAYER_TYPE),
        'blobs': repeated(6, BlobProto),
        **{name: field(number, _LAYER_PARAMETERS[name][0])
           for name, number in _V1_LAYER_PARAMETERS.items()},
    }


for _name, _value in V1LayerParameter.LAYER_TYPE.items():
    setattr(V1LayerParameter, _name, _value)


class NetParameter(Message):
    FIELDS = {
        'name': field(1, 'string'), 'layers': repeated(2, V1LayerParameter),
        'input': repeated(3, 'string'), 'input_dim': repeated(4, 'int32'),
        'input_shape': repeated(8, BlobShape), 'layer': repeated(100, LayerParameter),
    }
