"""Multi-node links on two ranks (``mpi`` tests): batch normalization over both ranks'
batches, models split over ranks, NStep RNN states passed between ranks."""

from __future__ import annotations

import copy

import numpy
import pytest

import polychain
import polychain.functions as F
import polychain.links as L
from polychain import backend

pytestmark = pytest.mark.mpi


@pytest.fixture
def comm():
    import polychain.chainermn as chainermn

    communicator = chainermn.create_communicator('naive')
    assert communicator.size == 2, 'the mpi tests run on two ranks'
    yield communicator
    communicator.mpi_comm.Barrier()


def _host(x):
    return backend.to_host(x.array if isinstance(x, polychain.Variable) else x)


@pytest.mark.parametrize('shape', [(8, 3), (4, 3, 2, 2)])
def test_mnbn_equals_batch_normalization_of_the_whole_batch(comm, device, shape):
    from polychain.chainermn.links import MultiNodeBatchNormalization

    rng = numpy.random.default_rng(3)
    x_all = rng.normal(size=(2 * shape[0],) + shape[1:]).astype('float64')
    w_all = rng.normal(size=x_all.shape).astype('float64')
    local = slice(comm.rank * shape[0], (comm.rank + 1) * shape[0])
    gamma = rng.uniform(0.5, 1.5, 3)
    beta = rng.uniform(-1, 1, 3)

    def make(link):
        link.gamma.array[...] = gamma
        link.beta.array[...] = beta
        link.to_device(device)
        return link

    bn = make(L.BatchNormalization(3, dtype='float64'))
    mnbn = make(MultiNodeBatchNormalization(3, comm, dtype='float64'))
    x = polychain.Variable(device.send(x_all))
    x_local = polychain.Variable(device.send(x_all[local]))
    y = bn(x)
    y_local = mnbn(x_local)
    numpy.testing.assert_allclose(_host(y_local), _host(y)[local], rtol=1e-10, atol=1e-10)
    F.sum(y * device.send(w_all)).backward()
    F.sum(y_local * device.send(w_all[local])).backward()
    numpy.testing.assert_allclose(_host(x_local.grad), _host(x.grad)[local], atol=1e-10)
    # The parameters' gradients summed over the ranks are the whole batch's.
    for name in ('gamma', 'beta'):
        total = comm.allreduce(getattr(mnbn, name).grad)
        numpy.testing.assert_allclose(_host(total), _host(getattr(bn, name).grad), atol=1e-10)
    for name in ('avg_mean', 'avg_var'):
        numpy.testing.assert_allclose(_host(getattr(mnbn, name)), _host(getattr(bn, name)),
                                      rtol=1e-10, atol=1e-12)


def test_mnbn_mixed16_keeps_float16_io_and_float32_parameters(comm):
    from polychain.chainermn.links import MultiNodeBatchNormalization

    with polychain.using_config('dtype', polychain.mixed16):
        mnbn = MultiNodeBatchNormalization(3, comm)
    assert mnbn.gamma.dtype == numpy.float32
    x = polychain.Variable(numpy.arange(12, dtype='float16').reshape(4, 3) + comm.rank)
    y = mnbn(x)
    assert y.dtype == numpy.float16
    F.sum(y * y).backward()
    assert x.grad.dtype == numpy.float16 and mnbn.gamma.grad.dtype == numpy.float32


def test_mnbn_communication_backend_and_copy(comm):
    from polychain.chainermn.links import MultiNodeBatchNormalization

    for name in ('auto', 'mpi'):
        MultiNodeBatchNormalization(2, comm, communication_backend=name)
    for name in ('nccl', 'dummy'):
        with pytest.raises(ValueError):
            MultiNodeBatchNormalization(2, comm, communication_backend=name)
    link = MultiNodeBatchNormalization(2, comm)
    for copied in (link.copy(mode='copy'), copy.deepcopy(link)):
        assert copied.comm is comm and copied.gamma is not link.gamma


class _BnChain(polychain.Chain):
    def __init__(self):
        super().__init__()
        with self.init_scope():
            self.l = L.Linear(3, 2)
            self.bn = L.BatchNormalization(2, decay=0.5, eps=1e-3)

    def forward(self, x):
        return self.bn(self.l(x))


def test_create_mnbn_model_converts_chains_chainlists_and_sequentials(comm):
    from polychain.chainermn.links import MultiNodeBatchNormalization, create_mnbn_model

    chain = _BnChain()
    chain.bn.avg_mean[...] = 0.25
    converted = create_mnbn_model(chain, comm)
    assert isinstance(converted.bn, MultiNodeBatchNormalization)
    assert (converted.bn.decay, converted.bn.eps) == (0.5, 1e-3)
    numpy.testing.assert_array_equal(converted.bn.avg_mean, chain.bn.avg_mean)
    numpy.testing.assert_array_equal(converted.l.W.array, chain.l.W.array)
    assert converted.l is not chain.l and type(chain.bn) is L.BatchNormalization
    listed = create_mnbn_model(polychain.ChainList(L.Linear(3, 2), L.BatchNormalization(2)),
                               comm)
    assert isinstance(listed[1], MultiNodeBatchNormalization)
    seq = create_mnbn_model(polychain.Sequential(L.Linear(3, 2), L.BatchNormalization(2),
                                                 F.relu), comm)
    assert isinstance(seq[1], MultiNodeBatchNormalization) and seq[2] is F.relu
    x = numpy.ones((2, 3), dtype='float32')
    for model in (converted, seq):
        assert model(x).shape == (2, 2)


def _linear(seed):
    rng = numpy.random.default_rng(seed)
    return L.Linear(4, 4, initialW=rng.normal(size=(4, 4)), initial_bias=rng.normal(size=4))


def test_multi_node_chain_list_matches_the_single_process_model(comm, device):
    # rank 0: a(x) -> rank 1: b -> rank 0: c -> output; as c(b(a(x))) in one process.
    from polychain.chainermn import MultiNodeChainList

    x = numpy.random.default_rng(5).normal(size=(3, 4)).astype('float32')
    model = MultiNodeChainList(comm)
    if comm.rank == 0:
        model.add_link(_linear(0), rank_in=None, rank_out=1)
        model.add_link(_linear(2), rank_in=1, rank_out=None)
    else:
        model.add_link(_linear(1), rank_in=0, rank_out=0)
    model.to_device(device)
    out = model(device.send(x)) if comm.rank == 0 else model()
    if comm.rank == 0:
        F.sum(out * out).backward()
    else:
        assert out.shape == ()
        out.backward()
    grads = comm.gather_obj(_host(model[0].W.grad), root=0)
    if comm.rank == 0:
        a, b, c = _linear(0), _linear(1), _linear(2)
        expected = c(b(a(x)))
        numpy.testing.assert_allclose(_host(out), expected.array, rtol=1e-5)
        F.sum(expected * expected).backward()
        numpy.testing.assert_allclose(grads[0], a.W.grad, rtol=1e-4)
        numpy.testing.assert_allclose(grads[1], b.W.grad, rtol=1e-4)


def test_multi_node_chain_list_sends_tuples_and_keeps_outputs_for_itself(comm):
    from polychain.chainermn import MultiNodeChainList

    class Pair(polychain.Chain):
        def forward(self, x):
            return x * 2.0, x * 3.0

    class Add(polychain.Chain):
        def forward(self, *xs):
            flat = [v for x in xs for v in (x if isinstance(x, tuple) else (x,))]
            return sum(flat[1:], flat[0])

    x = numpy.ones((2, 2), dtype='float32')
    model = MultiNodeChainList(comm)
    if comm.rank == 0:
        model.add_link(Pair(), rank_in=None, rank_out=[1, 0])  # to rank 1 and kept here
        model.add_link(Add(), rank_in=[0, 1], rank_out=None)
        xv = polychain.Variable(x)
        y = model(xv)
        # kept (2x + 3x) + from rank 1 (2x + 3x) * 1.5 = 12.5x
        numpy.testing.assert_allclose(y.array, 12.5 * x)
        F.sum(y).backward()
        numpy.testing.assert_allclose(xv.grad, numpy.full((2, 2), 12.5))
    else:
        class Scale(polychain.Chain):
            def forward(self, x):
                return (x[0] + x[1]) * 1.5
        model.add_link(Scale(), rank_in=0, rank_out=0)
        model().backward()


def test_multi_node_n_step_rnn_passes_states_and_their_gradients(comm):
    # rank 0's final states are rank 1's initial ones; rank 1's gradients of them reach rank 0.
    from polychain.chainermn.functions import pseudo_connect
    from polychain.chainermn.links import create_multi_node_n_step_rnn

    rng = numpy.random.default_rng(7)
    xs = [rng.normal(size=(3, 2)).astype('float32')]
    lstm = L.NStepLSTM(1, 2, 2, 0.0)
    reference = lstm.copy(mode='copy')
    first = comm.rank == 0
    rnn = create_multi_node_n_step_rnn(lstm, comm, rank_in=None if first else 0,
                                       rank_out=1 if first else None)
    hy, cy, ys, delegate = rnn(xs)
    if first:
        comm.send_obj((hy.array, cy.array), dest=1)
        loss, = pseudo_connect(delegate, F.sum(ys[0]))
        loss.backward()
        ghx, gcx = comm.recv_obj(source=1)
        ref_hy, ref_cy, ref_ys = reference(None, None, xs)
        (F.sum(ref_ys[0]) + F.sum(ref_hy * ghx) + F.sum(ref_cy * gcx)).backward()
        numpy.testing.assert_allclose(lstm[0].w0.grad, reference[0].w0.grad, rtol=1e-5)
    else:
        assert delegate is None
        hx, cx = (polychain.Variable(a) for a in comm.recv_obj(source=0))
        ref_hy, ref_cy, _ = reference(hx, cx, xs)
        numpy.testing.assert_allclose(hy.array, ref_hy.array, rtol=1e-6)
        F.sum(hy * hy + cy).backward()
        F.sum(ref_hy * ref_hy + ref_cy).backward()
        comm.send_obj((hx.grad, cx.grad), dest=0)
