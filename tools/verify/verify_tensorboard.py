"""Checks log directories written by this package against real TensorBoard.

Usage: verify_tensorboard.py LOGDIR [--skip-server]

Every `expected.json` below LOGDIR (written by tools/demo-run, or by the training-run
check) says what must be there; its run names are relative to the file's directory.
Checks (a) every event file with TensorBoard's own Python event loader, and (b) the HTTP
API of `tensorboard` servers with the Rust data server and with the Python loader.
Prints each check; exits 1 listing every difference.
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
from tensorboard_kinds import CHECKS, KINDS, PLUGINS, check_plugins_listed

from checklist import check, failures


def close(a, b, tolerance=1e-6):
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def load_expectations(logdir):
    merged = {"runs": [], "scalars": [], "histograms": [], "images": [], "texts": [], "graphs": [], "hparams": []}
    merged.update({kind: [] for kind in KINDS})
    for directory, _, names in sorted(os.walk(logdir)):
        if "expected.json" not in names:
            continue
        prefix = os.path.relpath(directory, logdir)
        with open(os.path.join(directory, "expected.json")) as f:
            expected = json.load(f)

        def run_name(run):
            path = os.path.normpath(os.path.join(prefix, run))
            return "." if path == "." else path

        merged["runs"] += [run_name(r) for r in expected.get("runs", [])]
        for kind in ("scalars", "histograms", "images", "texts", "graphs") + KINDS:
            for item in expected.get(kind, []):
                merged[kind].append(dict(item, run=run_name(item["run"])) if "run" in item else item)
        merged["hparams"] += expected.get("hparams", [])
    return merged


def series_matches(got, want, tolerance):
    return len(got) == len(want) and all(
        g[0] == w[0] and (g[1] == w[1] if tolerance == 0 else abs(g[1] - w[1]) <= tolerance)
        for g, w in zip(got, want))


def check_python_loader(logdir, expected):
    print("TensorBoard's Python event loader (checks both CRCs of every record):")
    scalars = {}
    for directory, _, names in sorted(os.walk(logdir)):
        for name in sorted(n for n in names if "tfevents" in n):
            run = os.path.relpath(directory, logdir)
            events = list(event_file_loader.EventFileLoader(os.path.join(directory, name)).Load())
            check(len(events) > 1 and events[0].file_version == "brain.Event:2",
                  f"{run}: {len(events)} events read from {name}")
            for event in events:
                for value in event.summary.value:
                    # The loader migrates simple_value to a rank-0 float32 tensor, as the server does.
                    if value.metadata.plugin_data.plugin_name == "scalars":
                        number = float(tensor_util.make_ndarray(value.tensor).item())
                        scalars.setdefault((run, value.tag), []).append([event.step, number])
    for item in expected["scalars"]:
        got = scalars.get((item["run"], item["tag"]), [])
        check(series_matches(got, item["points"], item["tolerance"]),
              f"{item['run']}/{item['tag']}: {len(got)} scalars match the {len(item['points'])} expected")


def check_server(logdir, expected, load_fast):
    print(f"tensorboard --load_fast={load_fast} over HTTP:")
    with TensorBoardServer(logdir, load_fast=load_fast) as tb:
        runs = tb.wait_for("runs", lambda: (lambda r: r if set(r) >= set(expected["runs"]) else None)(tb.get_json("/data/runs")))
        check(set(runs) >= set(expected["runs"]), f"runs {sorted(runs)}")

        for item in expected["scalars"]:
            want = item["points"]
            series = tb.wait_for(f"{item['run']}/{item['tag']}", lambda: (lambda s: s if len(s) >= len(want) else None)(
                tb.get_json("/data/plugin/scalars/scalars", {"run": item["run"], "tag": item["tag"]})))
            got = [[step, value] for _, step, value in series]
            check(series_matches(got, want, item["tolerance"]), f"scalars {item['run']}/{item['tag']}: {len(got)} points match")

        for item in expected["histograms"]:
            data = tb.wait_for("histogram", lambda: tb.get_json(
                "/data/plugin/histograms/histograms", {"run": item["run"], "tag": item["tag"]}))
            buckets = data[0][2]
            want = item["buckets"]
            same = len(buckets) == len(want) and all(
                all(close(a, b) for a, b in zip(got, exp)) for got, exp in zip(buckets, want))
            check(same, f"histogram {item['run']}/{item['tag']}: {len(buckets)} buckets with the written edges and counts")

        for item in expected["images"]:
            check_image(tb, item)

        for item in expected["texts"]:
            data = tb.wait_for("text", lambda: tb.get_json(
                "/data/plugin/text/text", {"run": item["run"], "tag": item["tag"], "markdown": "false"}))
            check(item["text"] in data[0]["text"], f"text {item['run']}/{item['tag']}: {data[0]['text']!r}")

        for item in expected["graphs"]:
            check_graph(tb, item)

        for item in expected["hparams"]:
            check_hparams(tb, item)

        check_plugins_listed(tb, check, sorted({PLUGINS[kind] for kind in KINDS if expected[kind]}))
        for kind in KINDS:
            for item in expected[kind]:
                try:
                    CHECKS[kind](tb, item, check)
                except RuntimeError as error:
                    check(False, f"{kind} {item.get('run', '')}: {error}")


def check_image(tb, want):
    from PIL import Image

    entries = tb.wait_for("image", lambda: tb.get_json(
        "/data/plugin/images/images", {"run": want["run"], "tag": want["tag"]}))
    png = tb.get("/data/plugin/images/individualImage?" + entries[0]["query"])
    image = Image.open(io.BytesIO(png))
    pixels = list(image.convert("RGB").tobytes())
    check(image.size == (want["width"], want["height"]) and pixels == want["pixels"],
          f"image {want['run']}/{want['tag']}: {image.format} {image.size[0]}x{image.size[1]}, pixels decode to those written")


def check_graph(tb, item):
    run = item["run"]
    text = tb.wait_for("graph", lambda: tb.get(
        "/data/plugin/graphs/graph", {"run": run, "limit_attr_size": 1024, "large_attrs_key": "_too_large_attrs"}).decode())
    nodes = dict(re.findall(r'node \{\s*name: "([^"]+)"\s*op: "([^"]+)"', text))
    want = {node["name"]: node["op"] for node in item.get("nodes", [])}
    missing = {name: op for name, op in want.items() if nodes.get(name) != op}
    check(not missing, f"graph {run}: {len(nodes)} nodes served; the {len(want)} expected names and ops present"
          + (f" (missing {list(missing.items())[:5]})" if missing else ""))
    for scope in item.get("scopes", []):
        check(any(name.startswith(scope + "/") for name in nodes), f"graph {run}: scope {scope}/")
    for op in item.get("ops", []):
        check(op in nodes.values(), f"graph {run}: op {op}")
    for node, shape in item.get("shapes", {}).items():
        block = re.search(r'node \{\s*name: "' + re.escape(node) + r'"(.*?)\n\}', text, re.S)
        dims = re.findall(r"size: (-?\d+)", block.group(1).split('key: "_output_shapes"')[-1]) if block else []
        check([int(d) for d in dims[:len(shape)]] == shape, f"graph {run}: {node} has _output_shapes {shape}")


def check_hparams(tb, item):
    request = {"experimentName": "", "allowedStatuses": ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"],
               "colParams": [], "startIndex": 0, "sliceSize": 100}
    groups = tb.wait_for("hparams session groups", lambda: tb.post_json(
        "/data/plugin/hparams/session_groups", request)["sessionGroups"])
    group = next((g for g in groups if g["hparams"] == item["hparams"]), None)
    check(group is not None, f"hparams session group with {item['hparams']}")
    if group is None:
        return
    metrics = {m["name"]["tag"]: m["value"] for m in group.get("metricValues", [])}
    check(item["metric"] in metrics and close(metrics[item["metric"]], item["value"]),
          f"hparams metric {item['metric']} = {metrics.get(item['metric'])}")
    status = group["sessions"][0].get("status")
    check(status == "STATUS_SUCCESS", f"hparams session status {status}")
    if "domains" in item:
        experiment = tb.post_json("/data/plugin/hparams/experiment", {"experimentName": ""})
        infos = {info["name"]: info for info in experiment.get("hparamInfos", [])}
        for name, values in item["domains"].items():
            got = infos.get(name, {}).get("domainDiscrete")
            check(got == values, f"hparams {name}: the dashboard offers {got} as filter values (want {values})")


def main():
    logdir = sys.argv[1]
    expected = load_expectations(logdir)
    if not expected["runs"]:
        print(f"no expected.json below {logdir}")
        sys.exit(2)
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
