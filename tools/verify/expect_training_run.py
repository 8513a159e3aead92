"""Writes expected.json for a fully-connected-feed train dir from the program's stdout.

Usage: expect_training_run.py LOGDIR STDOUT_FILE

The loss printed every 100 steps ("Step N: loss = L (T sec)", two decimals) must be the
loss TensorBoard serves at step N; the graph must show the tutorial's scopes, ops and
shapes.
"""

import json
import re
import sys

logdir, stdout = sys.argv[1], sys.argv[2]
with open(stdout) as f:
    points = [[int(step), float(loss)] for step, loss in re.findall(r"^Step (\d+): loss = ([\d.]+) \(", f.read(), re.M)]
expected = {
    "runs": ["."],
    "scalars": [{"run": ".", "tag": "loss", "points": points, "tolerance": 0.0051}],
    "graphs": [{
        "run": ".",
        "scopes": ["hidden1", "hidden2", "softmax_linear", "gradients"],
        "ops": ["MatMul", "Relu", "SparseSoftmaxCrossEntropyWithLogits", "ApplyGradientDescent", "VariableV2",
                "Placeholder", "Mean", "InTopKV2", "ScalarSummary", "MergeSummary"],
        "shapes": {"hidden1/MatMul": [100, 128], "hidden1/weights": [784, 128], "softmax_linear/add": [100, 10]},
    }],
}
with open(f"{logdir}/expected.json", "w") as f:
    json.dump(expected, f, indent=1)
print(f"expecting {len(points)} loss points in {logdir}")
