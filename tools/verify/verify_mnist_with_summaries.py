"""Checks an `mnist-with-summaries` run through TensorBoard's HTTP API, as a user sees it.

Usage: verify_mnist_with_summaries.py LOGDIR PROGRAM_OUTPUT MAX_STEPS

Both runs (`train`, `test`) are listed; every scalar, histogram and image tag the
TensorFlow 1 tutorial writes is served under TensorFlow 1's names; histograms and their
distributions have the expected steps; the ten input images decode as 28x28 PNGs; the run
metadata tags (`step099`, ...) are offered by the graph dashboard and their node stats
name nodes of the served graph, with compute times and memory; the test accuracies served
equal the printed `Accuracy at step N: A` lines. Exits non-zero with what differed.
"""

import io
import re
import sys

from tensorboard.compat.proto import config_pb2
from google.protobuf import text_format

from tensorboard_server import TensorBoardServer

FAILURES = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        FAILURES.append(message)


def variable_tags(prefix):
    base = prefix + "/summaries/"
    return [base + name for name in ("mean_1", "stddev_1", "max_1", "min_1")], [base + "histogram"]


SCALARS = ["accuracy_1", "cross_entropy_1", "dropout/dropout_keep_probability"]
HISTOGRAMS = []
for layer in ("layer1", "layer2"):
    for part in ("weights", "biases"):
        scalars, histograms = variable_tags(f"{layer}/{part}")
        SCALARS += scalars
        HISTOGRAMS += histograms
    HISTOGRAMS += [f"{layer}/Wx_plus_b/pre_activations", f"{layer}/activations"]
IMAGES = [f"input_reshape/input/image/{i}" for i in range(10)]


def main():
    logdir, output_path, max_steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
    printed = {int(step): float(value) for step, value in
               re.findall(r"^Accuracy at step (\d+): (\S+)$", open(output_path).read(), re.M)}
    test_steps = list(range(0, max_steps, 10))
    train_steps = [s for s in range(max_steps) if s % 10 != 0]
    traced = [s for s in range(max_steps) if s % 100 == 99 and s % 10 != 0]
    check(sorted(printed) == test_steps, f"printed accuracies at steps {test_steps[:3]}...{test_steps[-1:]}")

    with TensorBoardServer(logdir, "false") as tb:
        runs = tb.wait_for("runs", lambda: set(tb.get_json("/data/runs")) >= {"train", "test"} and tb.get_json("/data/runs"))
        check(set(runs) == {"train", "test"}, f"runs {sorted(runs)}")

        # Both runs read to the end: their last steps are served.
        for run, tag, steps in (("test", "accuracy_1", test_steps), ("train", "cross_entropy_1", train_steps)):
            tb.wait_for(f"{run} read to step {steps[-1]}", lambda: [int(s) for _, s, _ in tb.get_json(
                "/data/plugin/scalars/scalars", {"run": run, "tag": tag})][-1:] == steps[-1:], timeout=120)
        scalar_tags = tb.get_json("/data/plugin/scalars/tags")
        for run in ("train", "test"):
            missing = [t for t in SCALARS if t not in scalar_tags.get(run, {})]
            check(not missing, f"{run}: the {len(SCALARS)} scalar tags" + (f" (missing {missing})" if missing else ""))
        served = tb.get_json("/data/plugin/scalars/scalars", {"run": "test", "tag": "accuracy_1"})
        got = {int(step): value for _, step, value in served}
        check(sorted(got) == test_steps and all(abs(got[s] - printed[s]) < 1e-6 for s in test_steps),
              f"test accuracy_1 at {len(test_steps)} steps equals the printed lines")
        train_entropy = tb.get_json("/data/plugin/scalars/scalars", {"run": "train", "tag": "cross_entropy_1"})
        check([int(s) for _, s, _ in train_entropy] == train_steps, f"train cross_entropy_1 at the {len(train_steps)} training steps")
        keep = tb.get_json("/data/plugin/scalars/scalars", {"run": "train", "tag": "dropout/dropout_keep_probability"})
        check(all(abs(v - 0.9) < 1e-6 for _, _, v in keep), "train dropout keep probability 0.9")

        histogram_tags = tb.get_json("/data/plugin/histograms/tags")
        for run in ("train", "test"):
            missing = [t for t in HISTOGRAMS if t not in histogram_tags.get(run, {})]
            check(not missing, f"{run}: the {len(HISTOGRAMS)} histogram tags" + (f" (missing {missing})" if missing else ""))
        histograms = tb.get_json("/data/plugin/histograms/histograms", {"run": "train", "tag": "layer1/weights/summaries/histogram"})
        steps = [int(h[1]) for h in histograms]
        # TensorBoard keeps a reservoir sample of the steps (the first and last among them).
        check(set(steps) <= set(train_steps) and steps[:1] == train_steps[:1] and steps[-1:] == train_steps[-1:]
              and len(steps) >= min(50, len(train_steps)),
              f"layer1 weights histogram at {len(steps)} training steps from {train_steps[0]} to {train_steps[-1]}")
        _, _, buckets = histograms[0]
        total = sum(b[2] for b in buckets)
        check(abs(total - 784 * 500) < 1e-3, f"layer1 weights histogram counts {total:.0f} values (784x500)")
        check(all(-0.21 <= b[0] and b[1] <= 0.21 for b in buckets if b[2] > 0),
              "layer1 weights lie within 2 stddev (0.2) of 0 at the first step")
        distributions = tb.get_json("/data/plugin/distributions/distributions", {"run": "test", "tag": "layer1/activations"})
        check([int(d[1]) for d in distributions] == test_steps and all(len(d[2]) == 9 for d in distributions),
              "test layer1/activations distributions (9 percentiles) at every evaluation")
        check(all(d[2][0][1] >= 0 for d in distributions), "ReLU activations' distribution never below 0")

        image_tags = tb.get_json("/data/plugin/images/tags")
        missing = [t for t in IMAGES if t not in image_tags.get("train", {})]
        check(not missing, "train: input_reshape/input/image/0..9" + (f" (missing {missing})" if missing else ""))
        from PIL import Image
        entries = tb.get_json("/data/plugin/images/images", {"run": "test", "tag": IMAGES[0]})
        png = tb.get("/data/plugin/images/individualImage?" + entries[-1]["query"])
        image = Image.open(io.BytesIO(png))
        check(image.format == "PNG" and image.size == (28, 28) and image.mode == "L",
              f"test image 0 is a 28x28 grayscale PNG ({image.format} {image.size} {image.mode})")

        info = tb.get_json("/data/plugin/graphs/info")
        check(info.get("train", {}).get("run_graph"), "train has the graph")
        tags = sorted(info.get("train", {}).get("tags", {}))
        want = ["step%03d" % s for s in traced]
        check(tags == want, f"graph dashboard session runs {tags}, want {want}")
        graph = tb.get("/data/plugin/graphs/graph", {"run": "train", "limit_attr_size": 1024,
                                                      "large_attrs_key": "_too_large_attrs"}).decode()
        nodes = set(re.findall(r'node \{\s*name: "([^"]+)"', graph))
        for name in ("input/x-input", "input_reshape/Reshape", "layer1/Wx_plus_b/MatMul", "layer1/activation",
                     "dropout/dropout/Floor", "layer2/Wx_plus_b/add", "cross_entropy/total/Mean",
                     "accuracy/accuracy/Mean", "Merge/MergeSummary"):
            check(name in nodes, f"graph node {name}")
        for tag in want:
            text = tb.get("/data/plugin/graphs/run_metadata", {"run": "train", "tag": tag}).decode()
            metadata = text_format.Parse(text, config_pb2.RunMetadata())
            stats = [n for d in metadata.step_stats.dev_stats for n in d.node_stats]
            unknown = [n.node_name for n in stats if n.node_name not in nodes]
            check(len(stats) > 50 and not unknown,
                  f"{tag}: {len(stats)} node stats, all naming graph nodes" + (f" (unknown {unknown[:5]})" if unknown else ""))
            by_name = {n.node_name: n for n in stats}
            matmul = by_name.get("layer1/Wx_plus_b/MatMul") or by_name.get("layer1/Wx_plus_b/add")
            check(matmul is not None and matmul.all_start_micros > 0 and matmul.all_end_rel_nanos > 0
                  and sum(m.total_bytes for m in matmul.memory) == 100 * 500 * 4,
                  f"{tag}: layer1's product has a compute time and 100x500 floats of memory")
            histogram = by_name.get("layer1/weights/summaries/histogram")
            check(histogram is not None and histogram.output and histogram.output[0].tensor_description.allocation_description.requested_bytes > 0,
                  f"{tag}: the histogram summary op's output bytes")
    if FAILURES:
        print(f"{len(FAILURES)} check(s) failed")
        sys.exit(1)
    print("mnist-with-summaries run: all checks passed")


if __name__ == "__main__":
    main()
