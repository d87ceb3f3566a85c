"""The loop of one worker process of MultiprocessParallelUpdater."""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from typing import Any

from polychain.backend.registry import get_device, to_host
from polychain.dataset import call_converter
from polychain.reporter import Reporter
from polychain.training.updaters._loss import call_loss
from polychain.training.updaters._packing import pack, unpack

_POLL_SECONDS = 1.0


def run_worker(pipe: Any, model: Any, device_spec: str, iterator: Any,
               converter: Callable[..., Any], loss_scale: float | None) -> None:
    """Trains ``model`` on ``device_spec`` with ``iterator`` as the main process asks.

    Messages from the main process: ``('update', None)`` computes the loss of
    the next batch, sends ``('grads', packed gradients)`` and waits for
    ``('params', packed parameters)``; ``('finalize', None)`` ends the loop.
    An exception is sent back as ``('error', traceback)``. The loop also ends
    when the main process is gone.
    """
    parent = os.getppid()
    try:
        device = get_device(device_spec)
        device.use()
        model.to_device(device)
        reporter = Reporter()
        reporter.add_observer('main', model)
        reporter.add_observers('main', model.namedlinks(skipself=True))
        while True:
            message = _next_message(pipe, parent)
            if message is None or message[0] == 'finalize':
                break
            if not _update(pipe, parent, model, device, iterator, converter, loss_scale,
                           reporter):
                break
    except Exception:
        try:
            pipe.send(('error', traceback.format_exc()))
        except OSError:  # the main process is gone
            pass
    finally:
        finalize = getattr(iterator, 'finalize', None)
        if finalize is not None:
            finalize()
        pipe.close()


def _next_message(pipe: Any, parent: int) -> Any:
    """The next message, or ``None`` once the main process has exited."""
    while not pipe.poll(_POLL_SECONDS):
        if os.getppid() != parent:
            return None
    try:
        return pipe.recv()
    except EOFError:
        return None


def _update(pipe: Any, parent: int, model: Any, device: Any, iterator: Any,
            converter: Callable[..., Any], loss_scale: float | None, reporter: Reporter) -> bool:
    """One iteration; ``False`` when the main process stopped instead of sending parameters."""
    model.cleargrads()
    batch = call_converter(converter, iterator.next(), device)
    with device.create_context(), reporter.scope({}):  # the main process reports
        loss = call_loss(model, batch)
    model.cleargrads()
    loss.backward(loss_scale=loss_scale)
    del loss
    pipe.send(('grads', to_host(pack(model, 'grad'))))
    model.cleargrads()
    message = _next_message(pipe, parent)
    if message is None or message[0] == 'finalize':
        return False
    if message[0] != 'params':
        raise RuntimeError(f'MultiprocessParallelUpdater worker: expected the parameters, '
                           f'received the message {message[0]!r}')
    unpack(model, message[1], 'array')
    return True
