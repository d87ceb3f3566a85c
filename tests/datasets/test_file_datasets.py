"""TextDataset, PickleDataset and the image datasets, on files written here."""

import io
import pickle
import zipfile

import numpy
import pytest

from polychain import datasets


def test_text_dataset_zips_lines_and_filters(tmp_path):
    (tmp_path / 'a.txt').write_text('hello\nworld\ntest')
    (tmp_path / 'b.txt').write_text('x\ny\nz\n')
    single = datasets.TextDataset(str(tmp_path / 'a.txt'))
    assert len(single) == 3 and single[2] == 'test' and single[0] == 'hello\n'
    both = datasets.TextDataset([str(tmp_path / 'a.txt'), str(tmp_path / 'b.txt')],
                                filter_func=lambda a, b: b != 'y\n')
    assert len(both) == 2 and both[1] == ('test', 'z\n')
    copy = pickle.loads(pickle.dumps(both))
    assert copy[0] == ('hello\n', 'x\n')
    single.close()
    with pytest.raises(ValueError):
        single[0]


def test_text_dataset_files_must_have_as_many_lines(tmp_path):
    (tmp_path / 'a.txt').write_text('1\n2\n')
    (tmp_path / 'b.txt').write_text('1\n')
    with pytest.raises(ValueError, match='different numbers of lines'):
        datasets.TextDataset([str(tmp_path / 'a.txt'), str(tmp_path / 'b.txt')])


def test_pickle_dataset_reads_by_position(tmp_path):
    path = str(tmp_path / 'data.pkl')
    with datasets.open_pickle_dataset_writer(path) as writer:
        for example in (1, 'two', {'three': 3.0}):
            writer.write(example)
    with datasets.open_pickle_dataset(path) as dataset:
        assert len(dataset) == 3
        assert dataset[2] == {'three': 3.0} and dataset[0] == 1
        assert pickle.loads(pickle.dumps(dataset))[1] == 'two'
    stream = io.BytesIO()
    datasets.PickleDatasetWriter(stream).write([5])
    assert datasets.PickleDataset(stream)[0] == [5]


def _png(array):
    from PIL import Image
    stream = io.BytesIO()
    Image.fromarray(array).save(stream, format='PNG')
    return stream.getvalue()


def test_image_datasets_give_chw_arrays(tmp_path):
    pytest.importorskip('PIL')
    rgb = numpy.zeros((4, 5, 3), numpy.uint8)
    grey = numpy.full((4, 5), 7, numpy.uint8)
    (tmp_path / 'rgb.png').write_bytes(_png(rgb))
    (tmp_path / 'grey.png').write_bytes(_png(grey))
    (tmp_path / 'list.txt').write_text('rgb.png 3\ngrey.png 1\n')
    images = datasets.ImageDataset(['rgb.png', 'grey.png'], root=str(tmp_path))
    assert images[0].shape == (3, 4, 5) and images[0].dtype == numpy.float32
    assert images[1].shape == (1, 4, 5) and images[1][0, 0, 0] == 7
    labeled = datasets.LabeledImageDataset(str(tmp_path / 'list.txt'), root=str(tmp_path),
                                           dtype=numpy.int32)
    image, label = labeled[1]
    assert image.dtype == numpy.int32 and label == 1 and label.dtype == numpy.int32
    with pytest.raises(ValueError, match='fields'):
        datasets.LabeledImageDataset(_one_column_list(tmp_path))
    with zipfile.ZipFile(tmp_path / 'a.zip', 'w') as z:
        z.writestr('rgb.png', _png(rgb))
        z.writestr('grey.png', _png(grey))
    with zipfile.ZipFile(tmp_path / 'b.zip', 'w') as z:
        z.writestr('dir/', b'')
        z.writestr('dir/grey.png', _png(grey))
    zipped = datasets.MultiZippedImageDataset([str(tmp_path / 'a.zip'), str(tmp_path / 'b.zip')])
    assert len(zipped) == 3 and pickle.loads(pickle.dumps(zipped))[2].shape == (1, 4, 5)
    pairs = datasets.LabeledZippedImageDataset(str(tmp_path / 'a.zip'), str(tmp_path / 'list.txt'))
    assert pairs[0][0].shape == (3, 4, 5) and pairs[0][1] == 3


def _one_column_list(tmp_path):
    (tmp_path / 'one.txt').write_text('rgb.png\n')
    return str(tmp_path / 'one.txt')
