"""Checks a log directory written by this package against real TensorBoard.

Usage: verify_tensorboard.py LOGDIR [--skip-server]

LOGDIR holds `expected.json` (written by tools/demo-run or fully-connected-feed) naming
what must be there. Checks (a) every event file with TensorBoard's own Python event
loader and (b) the HTTP API of `tensorboard` servers with the Rust data server and with the
Python loader. Prints each check; exits 1 listing every difference.
"""

import io
import json
import math
import os
import re
import sys

from tensorboard.backend.event_processing import event_file_loader
from tensorboard.util import tensor_util

from tensorboard_server import TensorBoardServer

failures = []


def check(condition, message):
    print(("  ok    " if condition else "  FAIL  ") + message)
    if not condition:
        failures.append(message)
    return condition


def close(a, b, tolerance=1e-6):
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def event_files(logdir):
    for directory, _, names in sorted(os.walk(logdir)):
        for name in sorted(names):
            if "tfevents" in name:
                yield os.path.relpath(directory, logdir), os.path.join(directory, name)


def check_python_loader(logdir, expected):
    print("TensorBoard's Python event loader (checks both CRCs of every record):")
    scalars = {}
    for run, path in event_files(logdir):
        events = list(event_file_loader.EventFileLoader(path).Load())
        check(len(events) > 1 and events[0].file_version == "brain.Event:2",
              f"{run}: {len(events)} events read from {os.path.basename(path)}")
        for event in events:
            for value in event.summary.value:
                # The loader migrates simple_value to a rank-0 float32 tensor, as the server does.
                if value.metadata.plugin_data.plugin_name == "scalars" or value.WhichOneof("value") == "simple_value":
                    number = (value.simple_value if value.WhichOneof("value") == "simple_value"
                              else float(tensor_util.make_ndarray(value.tensor).item()))
                    scalars.setdefault((run, value.tag), []).append([event.step, number])
    for run, tag, key in scalar_expectations(expected):
        got = scalars.get((run, tag), [])
        check(got == expected[key], f"{run}/{tag}: {len(got)} scalars equal to the {len(expected[key])} written")


def scalar_expectations(expected):
    pairs = []
    if "loss" in expected:
        pairs.append((expected.get("loss_run", "train"), "loss", "loss"))
    if "precision" in expected:
        pairs.append(("eval", "precision", "precision"))
    return pairs


def check_server(logdir, expected, load_fast):
    print(f"tensorboard --load_fast={load_fast} over HTTP:")
    with TensorBoardServer(logdir, load_fast=load_fast) as tb:
        runs = tb.wait_for("runs", lambda: set(tb.get_json("/data/runs")) >= set(expected["runs"]) and tb.get_json("/data/runs"))
        check(set(runs) >= set(expected["runs"]), f"runs {sorted(runs)}")

        for run, tag, key in scalar_expectations(expected):
            want = expected[key]
            series = tb.wait_for(f"{run}/{tag}", lambda: (lambda s: s if len(s) >= len(want) else None)(
                tb.get_json("/data/plugin/scalars/scalars", {"run": run, "tag": tag})))
            got = [[step, value] for _, step, value in series]
            check(got == want, f"scalars {run}/{tag}: {len(got)} points, exact values")

        if "histogram" in expected:
            data = tb.wait_for("histogram", lambda: tb.get_json(
                "/data/plugin/histograms/histograms", {"run": "train", "tag": "weights"}))
            buckets = data[0][2]
            want = expected["histogram"]
            same = len(buckets) == len(want) and all(
                all(close(a, b) for a, b in zip(got, exp)) for got, exp in zip(buckets, want))
            check(same, f"histogram train/weights: {len(buckets)} buckets with the written edges and counts")

        if "image" in expected:
            check_image(tb, expected["image"])

        if "text" in expected:
            data = tb.wait_for("text", lambda: tb.get_json(
                "/data/plugin/text/text", {"run": "train", "tag": "notes", "markdown": "false"}))
            check(expected["text"] in data[0]["text"], f"text train/notes: {data[0]['text']!r}")

        if "graph_nodes" in expected:
            check_graph(tb, expected)

        if "hparams" in expected:
            check_hparams(tb, expected)


def check_image(tb, want):
    from PIL import Image

    entries = tb.wait_for("image", lambda: tb.get_json(
        "/data/plugin/images/images", {"run": "train", "tag": "digits"}))
    png = tb.get("/data/plugin/images/individualImage?" + entries[0]["query"])
    image = Image.open(io.BytesIO(png))
    pixels = list(image.convert("RGB").tobytes())
    check(image.size == (want["width"], want["height"]) and pixels == want["pixels"],
          f"image train/digits: {image.format} {image.size[0]}x{image.size[1]}, pixels decode to those written")


def check_graph(tb, expected):
    run = expected.get("graph_run", "train")
    text = tb.wait_for("graph", lambda: tb.get(
        "/data/plugin/graphs/graph", {"run": run, "limit_attr_size": 1024, "large_attrs_key": "_too_large_attrs"}).decode())
    nodes = dict(re.findall(r'node \{\s*name: "([^"]+)"\s*op: "([^"]+)"', text))
    want = {node["name"]: node["op"] for node in expected["graph_nodes"]}
    missing = {name: op for name, op in want.items() if nodes.get(name) != op}
    check(not missing, f"graph {run}: {len(nodes)} nodes served; all {len(want)} expected names and ops present"
          + (f" (missing {list(missing.items())[:5]})" if missing else ""))
    for scope in expected.get("graph_scopes", []):
        check(any(name.startswith(scope + "/") for name in nodes), f"graph {run}: scope {scope}/")
    for op in expected.get("graph_ops", []):
        check(op in nodes.values(), f"graph {run}: op {op}")
    if expected.get("graph_shapes"):
        check("_output_shapes" in text, f"graph {run}: _output_shapes attrs present")


def check_hparams(tb, expected):
    request = {"experimentName": "", "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
               "colParams": [], "startIndex": 0, "sliceSize": 10}
    groups = tb.wait_for("hparams session groups", lambda: tb.post_json(
        "/data/plugin/hparams/session_groups", request)["sessionGroups"])
    group = groups[0]
    check(group["hparams"] == expected["hparams"], f"hparams session group: {group['hparams']}")
    metrics = {m["name"]["tag"]: m["value"] for m in group.get("metricValues", [])}
    last_loss = expected["loss"][-1][1]
    check("loss" in metrics and close(metrics["loss"], last_loss), f"hparams metric loss = {metrics.get('loss')}")
    status = group["sessions"][0].get("status")
    check(status == "STATUS_SUCCESS", f"hparams session status {status}")


def main():
    logdir = sys.argv[1]
    with open(os.path.join(logdir, "expected.json")) as f:
        expected = json.load(f)
    check_python_loader(logdir, expected)
    if "--skip-server" not in sys.argv:
        for load_fast in ("true", "false"):
            try:
                check_server(logdir, expected, load_fast)
            except RuntimeError as error:
                check(False, f"--load_fast={load_fast}: {error}")
    if failures:
        print(f"\nverify-with-tensorboard: {len(failures)} check(s) failed:")
        for failure in failures:
            print("  - " + failure)
        sys.exit(1)
    print("\nverify-with-tensorboard: every check passed")


if __name__ == "__main__":
    main()
