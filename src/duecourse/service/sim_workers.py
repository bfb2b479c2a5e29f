"""Arms × replications of a simulation, in this process or spread over worker processes.

Every (arm, replication) is independent: its world and draws come from the seed and the
replication alone (``simulate.simulate_arm``). Workers therefore change only the wall time:
the results come back in the same order, equal whatever the number of workers, so the same
seed still gives the same bytes. Workers are forked (the simulation's rule pack holds
functions that cannot be pickled): they inherit the simulation and send back only results.
Each worker's DuckDB gets an equal share of the cores (one each when there are as many
workers as cores): threads competing for a core cost more CPU than they save.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager

from duecourse.adapters.messages import text
from duecourse.lab.behaviour import BehaviourModel
from duecourse.service.progress import Progress
from duecourse.service.simulate import ArmResult, SimArm, SimSpec, simulate_arm

_Job = tuple[SimSpec, tuple[SimArm, ...], BehaviourModel, int]
_job: _Job | None = None  # the simulation the forked workers run


def _run(task: tuple[int, int]) -> ArmResult:
    assert _job is not None
    spec, arms, model, threads = _job
    arm, replication = task
    return simulate_arm(spec, arms[arm], model, replication, threads=threads)


def simulate_all(
    spec: SimSpec,
    arms: Sequence[SimArm],
    model: BehaviourModel,
    progress: Progress,
    workers: int = 1,
) -> list[list[ArmResult]]:
    """``results[arm][replication]``; with ``workers`` > 1, that many processes run the
    (arm, replication) pairs and the progress counts finished pairs, not days."""
    with _fewer_collections():
        return _simulate_all(spec, arms, model, progress, workers)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Within: the garbage collector runs less often. A simulation holds millions of
    long-lived objects (the world, the run's expressions), which every full collection walks
    again; with the default thresholds that was about 5 % of a simulated day's CPU."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 50, 1_000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _simulate_all(
    spec: SimSpec,
    arms: Sequence[SimArm],
    model: BehaviourModel,
    progress: Progress,
    workers: int,
) -> list[list[ArmResult]]:
    tasks = [(a, r) for a in range(len(arms)) for r in range(spec.replications)]
    if workers <= 1 or len(tasks) <= 1:
        flat = [simulate_arm(spec, arms[a], model, r, progress) for a, r in tasks]
    else:
        global _job
        processes = min(workers, len(tasks))
        _job = (spec, tuple(arms), model, max(1, (os.cpu_count() or 1) // processes))
        context = multiprocessing.get_context("fork")
        try:
            with ProcessPoolExecutor(processes, mp_context=context) as pool:
                done = progress.track(pool.map(_run, tasks), text("simulated arms"), len(tasks))
                flat = list(done)
        finally:
            _job = None
    per_arm = spec.replications
    return [flat[a * per_arm : (a + 1) * per_arm] for a in range(len(arms))]
