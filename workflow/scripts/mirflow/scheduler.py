"""The end of a run without Snakemake's last idle second.

After every scheduling round that gets as far as selecting jobs, Snakemake's job scheduler
arms a ``threading.Timer`` that wakes it again after the timespan of
``--max-jobs-per-timespan`` (one second by default). The timer is not a daemon thread, so
the interpreter waits for the last one before it exits: every run ended about a second
after its last job. When the run's ``onsuccess`` or ``onerror`` hook runs, scheduling is
over and nothing waits for that wake-up.
"""

from __future__ import annotations

import threading

# Where Snakemake's scheduler (9.27, as pinned) defines the function its timers call; with
# another layout nothing is cancelled, and tests/test_startup.py fails to import it.
SCHEDULER_MODULE = "snakemake.scheduling.job_scheduler"


def cancel_scheduler_timers() -> int:
    """Cancel the pending wake-ups of Snakemake's job scheduler (only those: other
    timers are left alone); the number cancelled. Call only once scheduling is over."""
    pending = [
        thread
        for thread in threading.enumerate()
        if isinstance(thread, threading.Timer)
        and getattr(thread.function, "__module__", None) == SCHEDULER_MODULE
    ]
    for timer in pending:
        timer.cancel()
    return len(pending)
