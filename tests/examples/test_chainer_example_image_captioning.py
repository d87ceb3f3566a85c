"""Chainer's image_captioning example: MSCOCO captions, and VGG16 from Chainer's model cache."""

from polychain_conformance.chainer_examples.fixtures import coco


def test_download_unpacks_the_mscoco_archives(run_examples, tmp_path):
    run_examples('image_captioning/download.py')
    data = tmp_path / 'image_captioning' / 'data'
    unpacked = {path.relative_to(data).as_posix(): path.read_bytes()
                for path in data.rglob('*') if path.is_file()}
    assert unpacked == coco.mscoco_files()


def test_train_then_predict(run_examples, tmp_path):
    _, predict = run_examples('image_captioning/train.py', 'image_captioning/predict.py')
    assert 'validation/main/loss' in (tmp_path / 'image_captioning' / 'result' / 'log').read_text()
    lines = [line.split() for line in predict.output.splitlines()
             if line.startswith('COCO_val2014_')]
    assert [line[0] for line in lines] == ['COCO_val2014_000000000101.jpg',
                                           'COCO_val2014_000000000102.jpg']
    vocabulary = {'<unk>', '.', 'a', 'cat', 'dog', 'sits', 'runs', 'on', 'the', 'mat', 'grass'}
    assert all(set(line[1:]) <= vocabulary for line in lines)

