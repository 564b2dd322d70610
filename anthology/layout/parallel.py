"""The body's chunks laid out side by side, in worker processes.

Each chunk is laid out page-independently (folios.py) by a worker that holds one chunk at a time
and writes it to the unit store before taking the next; the results come back in the chunks'
order, whichever worker finished first, so the book does not depend on the number of workers.
Then each chunk's page numbers are laid out, again on every core, once its first page is known.

Workers are forked from the build: they share its loaded fonts, stylesheets and renderer, and
are given only the index of their chunk. They ignore Ctrl-C, which the build answers by stopping
them all; a worker that dies (killed, out of memory) fails the build with a clear message.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from ..model import Progress
from .render import Unit
from .store import UnitStore


class WorkerDied(RuntimeError):
    """A layout worker stopped without finishing its chunk."""


# What the forked workers read: set before the pool starts, never changed while it runs.
_work: dict = {}


Run = list[tuple[str, int]]  # units laid out one after the other (HTML, first page), each settled like the one before


def lay_out_chunks(store: UnitStore, chunks: list[str], jobs: int, progress: Progress,
                   beside: list[Run] = ()) -> list[tuple[Unit, float]]:
    """Every chunk laid out page-independently, with the seconds it took, in the chunks' order.

    The longest go first, so that the short ones fill in at the end. `beside`: units laid out on
    the same workers, only to be found in the store when the build asks for them: the front
    matter with placeholder numbers, whose length the body's placing needs, and what the last
    build laid out after the body, if its lines fell as now (lay_out's forecast)."""
    data = {"chunk": chunks, "beside": list(beside)}
    sizes = {("beside", index): sum(len(html) for html, _ in run) for index, run in enumerate(beside)}
    sizes.update({("chunk", index): len(html) for index, html in enumerate(chunks)})
    longest_first = sorted(sizes, key=lambda task: -sizes[task])  # the last task to finish is a short one
    results = dict(zip(longest_first, _run(store, longest_first, data, jobs, progress, "layout")))
    return [results[("chunk", index)] for index in range(len(chunks))]


def place_chunks(store: UnitStore, placed: list[tuple[Unit, int, dict[int, str]]], jobs: int) -> list[Unit]:
    """Each page-independent unit at its first page, with the layer of its page numbers (and of
    the page-number texts given for its pages: its articles' cite lines)."""
    return _run(store, [("place", index) for index in range(len(placed))], {"place": placed}, jobs)


def lay_out_run(store: UnitStore, run: Run) -> Unit:
    """The units of `run` one after the other, each settled like the one before it; the last."""
    unit = None
    for html, first_page in run:
        unit = store.render(html, first_page, unit.treatments if unit is not None else None)
    return unit


def _run(store: UnitStore, tasks: list[tuple[str, int]], data: dict[str, list], jobs: int,
         progress: Progress | None = None, stage: str = "") -> list:
    _work.update(store=store, data=data)
    try:
        if jobs <= 1 or len(tasks) <= 1:
            results = []
            for done, task in enumerate(tasks, 1):
                results.append(_do(task))
                if progress:
                    progress(stage, done, len(tasks))
            return [result for result, _ in results]
        return _in_pool(tasks, jobs, progress, stage)
    finally:
        _work.clear()


def _in_pool(tasks: list[tuple[str, int]], jobs: int, progress: Progress | None, stage: str) -> list:
    """The tasks on `jobs` forked workers; results in the tasks' order."""
    store = _work["store"]
    pool = ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_start, initargs=(os.getpid(),))
    futures: list[Future] = []
    try:
        futures = [pool.submit(_do, task) for task in tasks]
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                future.result()  # raises the worker's error, or BrokenProcessPool
            if progress:
                progress(stage, len(tasks) - len(pending), len(tasks))
        results = [future.result() for future in futures]
    except BrokenProcessPool:
        _stop(pool, store)
        unfinished = sum(1 for future in futures if not future.done() or future.exception() is not None)
        raise WorkerDied(f"a layout worker stopped before it finished (killed, or out of memory): "
                         f"{unfinished} of {len(tasks)} chunks not laid out; nothing was written") from None
    except BaseException:
        _stop(pool, store)  # Ctrl-C, or an error in one chunk: the other workers stop too
        raise
    pool.shutdown()
    for _, refused in results:
        store.renderer.fetcher.refused.extend(refused)
    return [result for result, _ in results]


def _do(task: tuple[str, int]):
    """One task, in a worker or in the build's own process: (its result, what the fetcher refused)."""
    kind, index = task
    store: UnitStore = _work["store"]
    fetcher = store.renderer.fetcher
    before = len(fetcher.refused)
    work = _work["data"][kind][index]
    if kind == "chunk":
        started = time.perf_counter()
        unit = store.render_page_independent(work)
        result = (unit, time.perf_counter() - started)
    elif kind == "beside":
        lay_out_run(store, work)
        result = None  # it is in the store now
    else:
        unit, first_page, texts = work
        result = store.place(unit, first_page, texts)
    return result, fetcher.refused[before:]


def _worker_start(build: int) -> None:
    """Ctrl-C reaches every process in the terminal's group: the build stops the workers itself,
    with SIGTERM, which ends a worker at once (the build's own handler is for the build). A build
    that is killed outright stops nothing: each worker watches for that itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_end_with, args=(build,), daemon=True).start()


def _end_with(build: int) -> None:
    """End this worker once the build is gone (SIGKILL, out of memory): an orphan would lay out a
    chunk for no one, keep the build's output pipes open, and block for ever on a full result
    pipe whose reading end it holds itself. What it was writing the next build removes."""
    while os.getppid() == build:
        time.sleep(0.2)
    os._exit(1)


def _stop(pool: ProcessPoolExecutor, store: UnitStore) -> None:
    """Stop every worker now, without waiting for the chunks they are on, and remove what they
    left half written."""
    processes = list((pool._processes or {}).values())  # no public way to reach them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
    store.remove_abandoned()
