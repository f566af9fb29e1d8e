"""What the peer scripts share: reading the split the Rust benchmark wrote, timing, reporting."""
import json
import sys
import time


def report(**fields):
    print(json.dumps(fields))


def skip(why):
    report(skipped=why)
    sys.exit(0)


def load_split(folder):
    """The digits split written by the Rust benchmark: train.csv and test.csv, label last."""
    import numpy as np

    def read(name):
        data = np.loadtxt(f"{folder}/{name}", delimiter=",")
        return data[:, :-1], data[:, -1].astype(int)

    return read("train.csv") + read("test.csv")


def best_of(runs, work):
    """The fastest of `runs` timings of `work()`, and its last result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result
