"""Reference event writers and reader, timed like bench-ours. Prints JSON lines.

Usage: writers.py tensorboardx N | tensorboardx-histogram N [ROUNDS] | tf-filewriter N | tf-summary-v2 N
       | summary-iterator FILE | event-accumulator FILE | summary-iterator-scalars FILE
"""

import json
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def report(name, value, unit, **extra):
    print(json.dumps(dict(extra, name=name, value=value, unit=unit)), flush=True)


def main():
    which, argument = sys.argv[1], sys.argv[2]
    logdir = tempfile.mkdtemp()
    if which == "tensorboardx":
        from tensorboardX import SummaryWriter
        count = int(argument)
        start = time.perf_counter()
        writer = SummaryWriter(logdir)
        for step in range(count):
            writer.add_scalar("loss", step * 0.001, step)
        writer.close()
        report("writer-scalars", count / (time.perf_counter() - start), "events/s", events=count)
    elif which == "tensorboardx-histogram":
        # The same bell-shaped sample as bench-ours' writer-histogram row, as float32.
        import numpy as np
        from tensorboardX import SummaryWriter
        count = int(argument)
        rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
        x = np.arange(count, dtype=np.float64)
        values = (np.sin(x * 0.6180339887) + np.sin(x * 0.4142135623) + np.sin(x * 0.7320508075)).astype(np.float32)
        del x
        writer = SummaryWriter(logdir)
        rates = []
        for step in range(rounds):
            start = time.perf_counter()
            writer.add_histogram("weights", values, step)
            rates.append(count / (time.perf_counter() - start))
        writer.close()
        rates.sort()
        report("writer-histogram", rates[len(rates) // 2], "values/s", values=count, rounds=rounds, best=rates[-1])
    elif which == "tf-filewriter":
        import tensorflow as tf
        tf.compat.v1.disable_eager_execution()
        count = int(argument)
        start = time.perf_counter()
        writer = tf.compat.v1.summary.FileWriter(logdir)
        for step in range(count):
            writer.add_summary(tf.compat.v1.Summary(value=[tf.compat.v1.Summary.Value(tag="loss", simple_value=step * 0.001)]), step)
        writer.close()
        report("writer-scalars", count / (time.perf_counter() - start), "events/s", events=count)
    elif which == "summary-iterator":
        import tensorflow as tf
        start = time.perf_counter()
        count = sum(1 for _ in tf.compat.v1.train.summary_iterator(argument))
        report("decode-events", count / (time.perf_counter() - start), "events/s", events=count)
    elif which == "event-accumulator":
        # TensorBoard's own reader, keeping every scalar (size guidance 0 = keep all).
        from tensorboard.backend.event_processing import event_accumulator
        start = time.perf_counter()
        accumulator = event_accumulator.EventAccumulator(argument, size_guidance={event_accumulator.SCALARS: 0})
        accumulator.Reload()
        points = accumulator.Scalars("loss")
        report("read-scalars", len(points) / (time.perf_counter() - start), "points/s", points=len(points))
    elif which == "summary-iterator-scalars":
        # TensorFlow's record reader and Event decoding, keeping (step, wall time, value).
        import tensorflow as tf
        start = time.perf_counter()
        points = [(event.step, event.wall_time, value.simple_value)
                  for event in tf.compat.v1.train.summary_iterator(argument)
                  for value in event.summary.value if value.tag == "loss"]
        report("read-scalars", len(points) / (time.perf_counter() - start), "points/s", points=len(points))


if __name__ == "__main__":
    main()
