"""Loads run directories with TensorBoard's stock event loader (EventAccumulator, the one
`tensorboard --logdir` uses in its Python data path) and prints, as JSON, each run's
`loss` scalar steps or the error the loader raised.

Usage: tensorboard_loader.py RUN_DIR...   (the kill -9 trials call it once for all runs)
"""

import json
import sys

from tensorboard.backend.event_processing import event_accumulator

results = {}
for run in sys.argv[1:]:
    try:
        accumulator = event_accumulator.EventAccumulator(run, size_guidance={event_accumulator.SCALARS: 0})
        accumulator.Reload()
        tags = accumulator.Tags()["scalars"]
        steps = [event.step for event in accumulator.Scalars("loss")] if "loss" in tags else []
        results[run] = {"loss_steps": steps}
    except Exception as error:  # reported, not raised: the caller names the trial
        results[run] = {"error": f"{type(error).__name__}: {error}"}
json.dump(results, sys.stdout)
