"""Loads a run directory with TensorBoard's plugin event loader (the accumulator behind
`tensorboard --logdir`'s Python data path, which also migrates legacy summaries) and
prints, as JSON, every `histograms`-plugin tag's events: {tag: [[step, [[left, right,
count], ...]], ...]}, or {"error": ...} if the loader raised. Numbers are written with
`float.hex()` so that they survive any JSON parser bit for bit.

Usage: tensorboard_histograms.py RUN_DIR
"""

import json
import sys

from tensorboard.backend.event_processing import plugin_event_accumulator
from tensorboard.util import tensor_util

run = sys.argv[1]
try:
    accumulator = plugin_event_accumulator.EventAccumulator(run, tensor_size_guidance={"histograms": 0})
    accumulator.Reload()
    result = {}
    for tag in sorted(accumulator.ActivePlugins() and accumulator.PluginTagToContent("histograms")):
        result[tag] = [[event.step, [[float(x).hex() for x in row] for row in tensor_util.make_ndarray(event.tensor_proto).tolist()]]
                       for event in accumulator.Tensors(tag)]
except Exception as error:  # reported, not raised: the test names the run
    result = {"error": f"{type(error).__name__}: {error}"}
json.dump(result, sys.stdout)
