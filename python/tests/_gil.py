"""Whether a call releases the GIL, for the tests of every function that promises to release it."""

import sys
import threading
import time
from collections.abc import Callable


def ticks_during(call: Callable[[], object]) -> int:
    """How often the main thread ran while `call` ran in a worker thread. Preemptive GIL
    switches are disabled (a long switch interval), so the main thread can only run while the
    worker has released the GIL; a native call that keeps the GIL gives 0."""
    window: list[float] = []
    stamps: list[float] = []

    def worker() -> None:
        window.append(time.perf_counter())
        call()
        window.append(time.perf_counter())

    interval = sys.getswitchinterval()
    sys.setswitchinterval(2.0)
    try:
        thread = threading.Thread(target=worker)
        thread.start()
        while thread.is_alive():
            stamps.append(time.perf_counter())
            time.sleep(1e-4)  # lets the worker take the GIL back
        thread.join()
    finally:
        sys.setswitchinterval(interval)
    start, end = window
    return sum(start < s < end for s in stamps)


def hold_the_gil() -> None:
    """The negative control: pure Python holding the GIL throughout (tens of milliseconds, far
    below the switch interval), for which `ticks_during` must give 0."""
    x = 0
    for i in range(300_000):
        x += i
