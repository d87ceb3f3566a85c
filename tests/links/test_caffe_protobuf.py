"""The protobuf wire format of Caffe's messages (polychain.links.caffe.protobuf and caffe_pb).

Expected bytes are written out by hand from the protobuf encoding rules (key =
field number << 3 | wire type, varints of 7 bits little-end first).
"""

from __future__ import annotations

import struct

import numpy
import pytest

from polychain.links.caffe import caffe_pb
from polychain.links.caffe.protobuf import DecodeError, to_text


def test_packed_int64_and_float_fields_encode_as_protobuf_does():
    blob = caffe_pb.BlobProto()
    blob.shape.dim[:] = [2, 300]
    blob.data[:] = numpy.array([1.5, -2.0], numpy.float32)
    shape = b'\x0a\x03\x02\xac\x02'  # dim (1, packed): 2, 300 = 0xac 0x02
    data = b'\x2a\x08' + struct.pack('<2f', 1.5, -2.0)  # data (5, packed)
    assert blob.SerializeToString() == data + b'\x3a\x05' + shape  # field order: 5, then 7


def test_scalars_strings_enums_and_negative_ints_encode_as_protobuf_does():
    layer = caffe_pb.LayerParameter(name='fc', type='InnerProduct', phase=caffe_pb.TEST)
    layer.bottom.append('data')
    layer.reshape_param.axis = -1
    expected = (b'\x0a\x02fc' b'\x12\x0cInnerProduct' b'\x1a\x04data' b'\x50\x01'
                b'\xaa\x08\x0b' b'\x10' + b'\xff' * 9 + b'\x01')  # 133 << 3 | 2 = 0x42a: 0xaa 0x08
    assert layer.SerializeToString() == expected
    parsed = caffe_pb.LayerParameter()
    parsed.ParseFromString(expected)
    assert (parsed.name, parsed.type, list(parsed.bottom), parsed.phase,
            parsed.reshape_param.axis) == ('fc', 'InnerProduct', ['data'], 1, -1)


def test_unpacked_repeated_floats_and_unknown_fields_are_read():
    data = (b'\x2d' + struct.pack('<f', 0.5) + b'\x2d' + struct.pack('<f', 2.0)  # data, unpacked
            + b'\xf8\x07\x05'  # unknown varint field 127
            + b'\xf9\x07' + bytes(8)  # unknown fixed64 field 127
            + b'\xfa\x07\x02ab'  # unknown length-delimited field 127
            + b'\xfd\x07' + bytes(4)  # unknown fixed32 field 127
            + b'\x08\x03')  # num = 3
    blob = caffe_pb.BlobProto()
    blob.ParseFromString(data)
    assert list(blob.data) == [0.5, 2.0]
    assert blob.num == 3


def test_packed_floats_are_read_as_an_array_and_merged():
    blob = caffe_pb.BlobProto()
    payload = numpy.arange(5, dtype='<f4').tobytes()
    blob.MergeFromString(b'\x2a\x14' + payload + b'\x2a\x14' + payload)
    assert isinstance(blob.data._values, numpy.ndarray)
    numpy.testing.assert_array_equal(numpy.asarray(blob.data), numpy.tile(numpy.arange(5), 2))
    assert blob.data[1:3] == [1.0, 2.0]


@pytest.mark.parametrize('data', [b'\x0a\x05ab', b'\x08\x80', b'\x0b', b'\x2a\x03abc'])
def test_malformed_bytes_raise_decode_error(data):
    with pytest.raises(DecodeError):
        caffe_pb.BlobProto().ParseFromString(data)


def test_defaults_presence_and_enum_constants():
    param = caffe_pb.LayerParameter().pooling_param
    assert (param.pool, param.stride, param.global_pooling) == (param.MAX, 1, False)
    assert caffe_pb.LRNParameter().k == 1.0 and caffe_pb.ConvolutionParameter().bias_term
    assert caffe_pb.V1LayerParameter.CONVOLUTION == 4
    layer = caffe_pb.LayerParameter()
    assert not layer.HasField('slice_param')
    assert not layer.slice_param.HasField('axis')
    assert layer.SerializeToString() == b''  # reading a message field does not set it
    layer.slice_param.axis = 1
    assert layer.HasField('slice_param') and layer.slice_param.HasField('axis')
    assert not layer.slice_param.HasField('slice_dim')


def test_wrong_assignments_are_refused():
    layer = caffe_pb.LayerParameter()
    with pytest.raises(AttributeError, match='repeated message field'):
        layer.blobs = []
    with pytest.raises(AttributeError, match='message field'):
        layer.pooling_param = caffe_pb.PoolingParameter()
    with pytest.raises(TypeError, match='LayerParameter.name: expected a string'):
        layer.name = 3
    with pytest.raises(TypeError, match='expected a uint32'):
        layer.convolution_param.group = -1
    with pytest.raises(AttributeError, match="no field 'nmae'"):
        layer.nmae = 'x'
    with pytest.raises(TypeError, match='expected a string value, received 3'):
        layer.bottom.append(3)
    with pytest.raises(TypeError, match='expected a float value'):
        layer.blobs.add().data[:] = ['x']


def test_v1_net_round_trips():
    net = caffe_pb.NetParameter(name='n')
    layer = net.layers.add(name='conv', type=caffe_pb.V1LayerParameter.CONVOLUTION)
    layer.convolution_param.kernel_size.append(3)
    layer.blobs.add(num=1, channels=2).data.extend([1.0, 2.0])
    again = caffe_pb.NetParameter()
    again.ParseFromString(net.SerializeToString())
    assert again == net
    assert again.layers[0].type == caffe_pb.V1LayerParameter.CONVOLUTION
    assert list(again.layers[0].convolution_param.kernel_size) == [3]


def test_text_format_names_enums_and_nests_messages():
    layer = caffe_pb.LayerParameter(name='pool', type='Pooling')
    layer.top.append('pool')
    layer.pooling_param.pool = caffe_pb.PoolingParameter.AVE
    layer.pooling_param.kernel_h = 2
    layer.blobs.add().data.append(1.0)
    assert to_text(layer, skip=('blobs',)) == (
        'name: "pool"\ntype: "Pooling"\ntop: "pool"\n'
        'pooling_param {\n  pool: AVE\n  kernel_h: 2\n}\n')
