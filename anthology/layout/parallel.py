"""The body's chunks laid out side by side, in worker processes.

Each chunk is laid out page-independently (folios.py) by a worker that holds one chunk at a time
and writes it to the unit store before taking the next; the results come back in the chunks'
order, whichever worker finished first, so the book does not depend on the number of workers.
Then each chunk's page numbers are laid out, again on every core, once its first page is known.

The workers are forked when a command starts (`Workers`), while it holds little more than its
modules: forked later, each would begin as large as the build has grown by then (at 1,000 pages,
about 155 MB instead of 80). So a task carries what it needs — the unit store, whose renderer a
worker makes once from what made the build's (render.py), and the chunk's HTML. Workers ignore
Ctrl-C, which the build answers by stopping them all; a worker that dies (killed, out of memory)
fails the build with a clear message.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable

from .. import scratch
from ..model import Progress
from .render import Unit
from .store import UnitStore


class WorkerDied(RuntimeError):
    """A layout worker stopped without finishing its chunk."""


# Units laid out one after the other (HTML, first page), each settled like the one before; a
# first page of None: a unit laid out page-independently (UnitStore.render_page_independent).
Run = list[tuple[str, int | None]]


class Workers:
    """`jobs` layout processes for one command, forked at once; with one job, none (the command
    lays out by itself). A context manager: leaving it ends them, at once when it is left by an
    error or Ctrl-C."""

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self.pool: ProcessPoolExecutor | None = None
        if self.jobs > 1:
            already = set(multiprocessing.active_children())
            _forking.append(self)
            try:
                # A fork context starts every worker at the first task: the no-op forks them now.
                self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("fork"),
                                                initializer=_worker_start,
                                                initargs=(os.getpid(), scratch.folder("anthology-workers")))
                self.pool.submit(int)
            except BaseException:
                # Ctrl-C while the workers are forked: a worker the pool does not manage yet would
                # wait for tasks for ever, and the command, which waits for its children at exit, with it.
                if self.pool is not None:
                    _stop(self.pool)
                _end(set(multiprocessing.active_children()) - already)
                raise
            finally:
                _forking.remove(self)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        elif self.pool is not None:
            _stop(self.pool)

    def close(self) -> None:
        """End the workers once the last task is done: what they grew to is given back."""
        if self.pool is not None:
            self.pool.shutdown()


# A chunk wanted before the others (its number), and what is done with it once laid out, while
# the workers go on with the rest: the preview shows the pages on view first.
Early = tuple[int, Callable[[Unit], None]]


def lay_out_chunks(workers: Workers, store: UnitStore, chunks: list[str], progress: Progress,
                   beside: list[Run] = (), early: Early | None = None) -> list[tuple[Unit, float]]:
    """Every chunk laid out page-independently, with the seconds it took, in the chunks' order.

    The longest go first, so that the short ones fill in at the end; the `early` chunk before
    them all. `beside`: units laid out on the same workers, only to be found in the store when
    the build asks for them: the front matter with placeholder numbers, whose length the body's
    placing needs, and what the last build laid out after the body, if its lines fell as now
    (lay_out's forecast)."""
    tasks = [("beside", run) for run in beside] + [("chunk", html) for html in chunks]
    size = [sum(len(html) for html, _ in work) if kind == "beside" else len(work) for kind, work in tasks]
    wanted = len(beside) + early[0] if early is not None and 0 <= early[0] < len(chunks) else None
    order = sorted(range(len(tasks)), key=lambda number: (number != wanted, -size[number]))  # the last to finish is a short one
    then = (0, lambda result: early[1](result[0])) if wanted is not None else None
    results = dict(zip(order, _run(workers, store, [tasks[n] for n in order], progress, "layout", then)))
    return [results[number] for number in range(len(beside), len(tasks))]


def place_chunks(workers: Workers, store: UnitStore, placed: list[tuple[Unit, int, dict[int, str]]]) -> list[Unit]:
    """Each page-independent unit at its first page, with the layer of its page numbers (and of
    the page-number texts given for its pages: its articles' cite lines). The layers are laid out
    on the workers; the build then finds them stored."""
    _run(workers, store, [("layer", (unit.folios, first_page, texts)) for unit, first_page, texts in placed])
    return [store.place(unit, first_page, texts) for unit, first_page, texts in placed]


def lay_out_run(store: UnitStore, run: Run) -> Unit:
    """The units of `run` one after the other, each settled like the one before it; the last."""
    unit = None
    for html, first_page in run:
        if first_page is None:
            unit = store.render_page_independent(html)
        else:
            unit = store.render(html, first_page, unit.treatments if unit is not None else None)
    return unit


def _run(workers: Workers, store: UnitStore, tasks: list[tuple[str, object]], progress: Progress | None = None,
         stage: str = "", then: tuple[int, Callable] | None = None) -> list:
    """The tasks' results, in the tasks' order: on the workers, or here when there is one job or one
    task. `then`: a task's number, and what is done here with its result as soon as it is in."""
    if workers.pool is None or len(tasks) <= 1:
        results = []
        for done, (kind, work) in enumerate(tasks, 1):
            results.append(_do(store, kind, work))
            if then is not None and then[0] == done - 1:
                then[1](results[-1][0])
            if progress:
                progress(stage, done, len(tasks))
    else:
        results = _in_pool(workers.pool, store, tasks, progress, stage, then)
        for _, refused in results:  # a worker's own fetcher refused them
            store.renderer.fetcher.refused.extend(refused)
    return [result for result, _ in results]


def _in_pool(pool: ProcessPoolExecutor, store: UnitStore, tasks: list[tuple[str, object]],
             progress: Progress | None, stage: str, then: tuple[int, Callable] | None) -> list:
    futures: list[Future] = []
    try:
        for kind, work in tasks:
            futures.append(pool.submit(_do, store, kind, work))
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                result, _ = future.result()  # raises the worker's error, or BrokenProcessPool
                if then is not None and future is futures[then[0]]:
                    then[1](result)
            if progress:
                progress(stage, len(tasks) - len(pending), len(tasks))
        return [future.result() for future in futures]
    except BrokenProcessPool:
        _stop(pool, store)
        finished = sum(1 for future in futures if future.done() and not future.cancelled() and future.exception() is None)
        raise WorkerDied(f"a layout worker stopped before it finished (killed, or out of memory): "
                         f"{len(tasks) - finished} of {len(tasks)} chunks not laid out; nothing was written") from None
    except BaseException:
        _stop(pool, store)  # Ctrl-C, or an error in one chunk: the other workers stop too
        raise


def _do(store: UnitStore, kind: str, work):
    """One task, in a worker or in the build's own process: (its result, what the fetcher refused)."""
    fetcher = store.renderer.fetcher
    before = len(fetcher.refused)
    if kind == "chunk":
        started = time.perf_counter()
        unit = store.render_page_independent(work)
        result = (unit, time.perf_counter() - started)
    elif kind == "beside":
        lay_out_run(store, work)
        result = None  # it is in the store now
    else:
        store.folio_layer(*work)
        result = None  # so is the layer
    return result, fetcher.refused[before:]


_forking: list[Workers] = []  # the Workers forking their processes now


def _in_forked_worker() -> None:
    """Ctrl-C reaches every process in the terminal's group: the build stops the workers itself
    (`_stop`), and a SIGTERM ends a worker at once (the build's own handler is for the build). Set
    in the child the moment it is forked, before any of its Python code runs: a signal then would
    otherwise raise the build's `Interrupted` in it, with a traceback."""
    if _forking:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


os.register_at_fork(after_in_child=_in_forked_worker)


def _worker_start(build: int, temporary: Path) -> None:
    """A build that is killed outright stops nothing: each worker watches for that itself.

    A worker ends without clean-up, so its temporary files (WeasyPrint's copies of the fonts) go
    in a folder of the build's, which the build removes (scratch.py)."""
    tempfile.tempdir = str(temporary)
    threading.Thread(target=_end_with, args=(build,), daemon=True).start()


def _end_with(build: int) -> None:
    """End this worker once the build is gone (SIGKILL, out of memory): an orphan would lay out a
    chunk for no one, keep the build's output pipes open, and block for ever on a full result
    pipe whose reading end it holds itself. What it was writing the next build removes."""
    while os.getppid() == build:
        time.sleep(0.2)
    os._exit(1)


def _stop(pool: ProcessPoolExecutor, store: UnitStore | None = None) -> None:
    """Stop every worker now, without waiting for the tasks they are on, and remove what they
    left half written."""
    processes = list((pool._processes or {}).values())  # no public way to reach them
    pool.shutdown(wait=False, cancel_futures=True)
    _end(processes)
    if store is not None:
        store.remove_abandoned()


def _end(processes) -> None:
    """Kill the processes and wait for them (a few seconds at most). SIGKILL, not SIGTERM: a worker
    forked a moment ago still has the build's handlers, which would print a traceback."""
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(timeout=5)
