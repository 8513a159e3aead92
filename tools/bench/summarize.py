"""Turns raw benchmark lines into BENCHMARKS.md and results.json: medians, min-max, ratios
ours/reference, and each target met or missed.

BENCHMARKS.md holds one section per CPU kind (vendor, family, model, as blas-info reads
them); a run rewrites its own CPU's section and keeps the others as their last run left
them. Every machine fact in the text (CPU, vector features, BLAS kernel) comes from the
run's blas-info JSON, never from this file.

It also rewrites README.md's headline table (beside BENCHMARKS.md, between the markers
`<!-- bench-headline:begin -->` and `<!-- bench-headline:end -->`) from the same run, and
its results table (between `<!-- bench-results:begin -->` and `<!-- bench-results:end -->`),
one column pair per CPU kind, from `results-by-cpu.json` beside results.json, where each
kind's last run is kept (this run replaces its own kind's).

Usage: summarize.py RAW.jsonl BENCHMARKS.md results.json BLAS-INFO.json"""

import datetime
import json
import os
import re
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import data_parallel  # noqa: E402  (beside this file)

raw, markdown_path, json_path, blas_path = sys.argv[1:5]
blas = json.load(open(blas_path))
cpu_key = f"{blas['vendor']}-{blas['family']}-{blas['model']}"
features = " ".join(blas["features"]) or "none detected"
library = " ".join(blas["configuration"].split()[:2])
rows = {}
# Each other kernel's gemm-peak against the kernel in use timed just before it (the bench
# alternates them), as pairs of (in use, other): a ratio within a pair cancels the host's
# slow phases, which move a median of three rounds by more than the 10% the target allows.
peak_pairs = {}
previous_peak = None
for line in open(raw):
    entry = json.loads(line)
    result = entry["result"]
    if result["name"] == "gemm-peak":
        previous_peak = result["value"]
    elif result["name"].startswith("gemm-peak-") and previous_peak is not None:
        peak_pairs.setdefault(result["name"][len("gemm-peak-"):], []).append((previous_peak, result["value"]))
        previous_peak = None
    key = (result["name"], entry["side"])
    row = rows.setdefault(key, {"unit": result["unit"], "values": [], "extra": result, "extras": []})
    row["values"].append(result["value"])
    row["extras"].append(result)


def stats(name, side):
    row = rows.get((name, side))
    if not row:
        return None
    values = sorted(row["values"])
    return {"median": statistics.median(values), "min": values[0], "max": values[-1], "unit": row["unit"], "n": len(values),
            "extra": row["extra"], "extras": row["extras"]}


def median_extra(s, key):
    """The median over rounds of an extra field (such as a round's 10th percentile)."""
    values = [extra[key] for extra in s["extras"] if key in extra]
    return statistics.median(values) if values else float("nan")


def fmt(s, digits=3):
    if s is None:
        return "–"
    def number(v):
        return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.{digits}f}"
    return f"{number(s['median'])} {s['unit']} ({number(s['min'])}–{number(s['max'])})"


# (metric, label, higher is better, target, reference sides)
table = [
    ("train-step", "training step, batch 100, 784-128-32-10, SGD", False, 0.35, ["tensorflow"]),
    ("train-step-unsplit", "the same step, products not split (Session(blasThreads: 1))", False, None, []),
    ("eval-step", "evaluation batch (do_eval's eval_correct), batch 100", False, None, []),
    ("tutorial-loop", "tutorial 2000-step loop (summaries, 2 evals, checkpoints)", False, 1.0, ["tensorflow"]),
    ("writer-scalars", "SummaryWriter.add(scalar:), to disk, file closed", True, 5_000_000, ["tensorflow", "tensorboardx"]),
    ("writer-scalars-mix", "the same, 10 tags of 14 characters in turn (a training loop's mix; median of 5 writers)", True, 8_000_000, []),
    ("writer-histogram", "add(histogram:) of a 10M-value float32 array, values/s (median of 5)", True, 200_000_000, ["tensorboardx"]),
    ("read-events", "EventFileReader.forEach, 1M-event file, every CRC, wall time + step", True, 10_000_000, []),
    ("read-event-records", "the same through next(), each payload copied out", True, None, []),
    ("decode-events", "the same, plus a full decode of every Event", True, None, ["tensorflow"]),
    ("read-scalars", "RunReader.scalars(tag:), 1M-event file: every CRC, the tag's values as ScalarEvents", True, 10_000_000,
     ["tensorboard", "tensorflow"]),
    ("validate-events", "tfevents validate logic, 1M-event file", True, 10_000_000, []),
    ("read-large-records", "RecordReader over 1 MB records", True, 2.0, []),
    ("peak-rss", "peak RSS, full Fashion-MNIST run", False, 400, []),
    ("test-precision", "test precision @ 1 after 2000 steps (Fashion-MNIST)", True, None, ["tensorflow"]),
    ("summaries-run", "mnist-with-summaries, 1000 steps, test set every 10 (Fashion-MNIST)", False, None, ["tensorflow"]),
    ("summaries-accuracy", "mnist-with-summaries final test accuracy (step 990)", True, None, ["tensorflow"]),
    ("untraced-step", "training step (Mechanics 101 model), untraced, in the traced-step run", False, None, []),
    ("traced-step", "the same step with options: .fullTrace and RunMetadata conversion", False, None, []),
    ("histogram-784x500", "HistogramSummary op of a 784x500 tensor (TensorFlow's buckets)", False, 1.0, []),
] + [(metric, label, metric.endswith("examples"), None, []) for metric, label in data_parallel.ROWS]
lines = []
results = {}
for metric, label, higher, target, references in table:
    ours = stats(metric, "ours")
    if ours is None:
        continue
    results[metric] = {"ours": ours, "target": target}
    met = "–" if target is None else ("met" if (ours["median"] >= target if higher else ours["median"] <= target) else "missed")
    for side in references or [None]:
        reference = stats(metric, side) if side else None
        ratio = "–"
        if reference:
            results[metric][side] = reference
            speed = ours["median"] / reference["median"] if higher else reference["median"] / ours["median"]
            ratio = f"{speed:.2f}x" + (" faster" if metric not in ("test-precision", "summaries-accuracy") else " of reference")
        target_text = "–" if target is None else (">= " if higher else "<= ") + (f"{target:,}" if target >= 1000 else str(target))
        lines.append(f"| {label} | {fmt(ours)} | {side or '–'}: {fmt(reference)} | {ratio} | {target_text} | {met} |")

gemm = stats("gemm-bound", "ours")
step = stats("train-step", "ours")
# The step over its products: measured side by side in one process (step-over-products:
# blocks of steps and of the products alone, the median of the blocks' ratios), which the
# host's slow phases move far less than two processes minutes apart; the separate rows'
# ratio is shown beside it.
paired = stats("step-over-products", "ours")
step_over_products = paired["median"] if paired else (step["median"] / gemm["median"] if gemm and step else None)
if gemm and step:
    lines.append(f"| training step / its 8 matrix products alone, separate runs (the train-step and gemm-bound rows) | {fmt(step)} / {fmt(gemm)} | – | {step['median'] / gemm['median']:.2f}x | – | – |")
if paired:
    lines.append(f"| training step / its 8 matrix products alone, side by side in one process (median of 20 blocks' ratios; step {median_extra(paired, 'step_ms'):.3f} ms, products {median_extra(paired, 'products_ms'):.3f} ms) | {fmt(paired)} | – | {paired['median']:.2f}x of the GEMM bound | <= 1.2x | {'met' if paired['median'] <= 1.2 else 'missed'} |")
if step_over_products is not None:
    results["gemm-bound"] = {"ours": gemm, "step_over_gemm": step_over_products}
evaluation = stats("eval-step", "ours")
loop = stats("tutorial-loop", "ours")
loop_parts = None
if step and evaluation and loop:
    # The loop runs 2000 steps and two evaluations of 550 + 50 + 100 batches.
    loop_parts = 2000 * step["median"] / 1000 + 1400 * evaluation["median"] / 1000
    lines.append(f"| tutorial loop / its 2000 steps + 1400 evaluation batches at the medians above | {loop['median']:.3f} s / {loop_parts:.3f} s | – | {loop['median'] / loop_parts:.2f}x | – | – |")
    results["tutorial-loop"]["steps_and_evaluations_s"] = loop_parts
def speedup_row(metric, label, target):
    """ours against TensorFlow in the same run, as a row with a ratio target."""
    ours, tensorflow = stats(metric, "ours"), stats(metric, "tensorflow")
    if not (ours and tensorflow):
        return None
    speed = tensorflow["median"] / ours["median"]
    lines.append(f"| {label}: TensorFlow's median / ours | {fmt(ours)} | tensorflow: {fmt(tensorflow)} | {speed:.2f}x faster | >= {target}x | {'met' if speed >= target else 'missed'} |")
    results[metric]["speedup_target"] = target
    return speed


step_speedup = speedup_row("train-step", "training step", 3.5)
loop_speedup = speedup_row("tutorial-loop", "tutorial loop", 4.0)
summaries_speedup = speedup_row("summaries-run", "mnist-with-summaries run", 4.0)
traced = stats("traced-step", "ours")
untraced = stats("untraced-step", "ours")
if traced and untraced:
    traced_ratio = traced["median"] / untraced["median"]
    lines.append(f"| traced step / untraced step | {fmt(traced)} / {fmt(untraced)} | – | {traced_ratio:.2f}x | <= 2x | {'met' if traced_ratio <= 2 else 'missed'} |")
    results["traced-step"]["over_untraced"] = traced_ratio
summaries_accuracy = stats("summaries-accuracy", "ours")
tensorflow_accuracy = stats("summaries-accuracy", "tensorflow")
if summaries_accuracy and tensorflow_accuracy:
    gap = abs(summaries_accuracy["median"] - tensorflow_accuracy["median"])
    lines.append(f"| mnist-with-summaries final accuracy, |ours - TensorFlow's| | {gap:.4f} | – | – | <= 0.015 | {'met' if gap <= 0.015 else 'missed'} |")

# One core's sgemm peak under each kernel this CPU can run, and the chosen one against the best.
peak = stats("gemm-peak", "ours")
kernel_peaks = {name[len("gemm-peak-"):]: stats(name, "ours") for name, side in rows if side == "ours" and name.startswith("gemm-peak-")}
kernel_peaks = {kernel: s for kernel, s in kernel_peaks.items() if s}
for kernel, s in sorted(kernel_peaks.items(), key=lambda item: -item[1]["median"]):
    label = "OpenBLAS's own detection" if kernel == "library" else f"OPENBLAS_CORETYPE={kernel}"
    kernel_name = s["extra"].get("kernel", "?")
    lines.append(f"| one core's sgemm peak, 1024^3, {label} (kernel {kernel_name}) | {fmt(s)} | – | – | – | – |")
# The kernel in use against each other kernel: the median of its pairs' ratios (three per round);
# the target holds when it is within 10% of every one of them.
paired_shares = {kernel: statistics.median(mine / theirs for mine, theirs in pairs) for kernel, pairs in peak_pairs.items()}
closest_kernel = min(paired_shares.items(), key=lambda item: item[1], default=None)
fastest_kernel = max(kernel_peaks.items(), key=lambda item: item[1]["median"], default=None)
if peak and closest_kernel:
    share = closest_kernel[1]
    lines.append(f"| one core's sgemm peak, kernel in use ({peak['extra'].get('kernel', '?')}, no setting) / the strongest kernel setting (by the median ratio of adjacent runs: {closest_kernel[0]}) | {fmt(peak)} | – | {share:.2f} of it | >= 0.9 | {'met' if share >= 0.9 else 'missed'} |")
    results["gemm-peak"] = {"ours": peak, "kernels": kernel_peaks, "paired_shares": paired_shares, "share_of_best": share}

# Where splitting a product over two cores pays off, per shape, against ParallelGEMM.splits.
split = rows.get(("gemm-split", "ours"))
split_text = None
if split:
    shapes = {}
    for extra in split["extras"]:
        for entry in extra["shapes"]:
            shapes.setdefault(entry["shape"], []).append(entry)
    disagreements = []
    cells = []
    for shape, entries in shapes.items():
        one = statistics.median(e["one_us"] for e in entries)
        two = statistics.median(e["split_us"] for e in entries)
        split_wins = two < one
        by_threshold = entries[0]["split_by_threshold"]
        cells.append(f"{shape}: {one:.1f} / {two:.1f} us{' (split)' if by_threshold else ''}")
        if split_wins != by_threshold and abs(one - two) > 0.05 * one:
            disagreements.append(f"{shape} is {'not ' if by_threshold is False else ''}split but {'splitting wins' if split_wins else 'one call wins'} ({one:.1f} vs {two:.1f} us)")
    gain = statistics.median(split["values"])
    lines.append(f"| the step's 8 products, one call / split over two cores, at the split rule's choice | {gain:.2f}x | – | – | – | – |")
    split_text = ("- **Two-core split, per product shape** (median one call / split, this run): " + "; ".join(cells) + ". "
                  + ("Every shape is split where splitting wins by more than 5%, and only there." if not disagreements
                     else "Where the split rule's choice disagrees with this run: " + "; ".join(disagreements) + "."))

for metric, what in [("writer-scalars-mix", "10-tag mix"), ("writer-histogram", "add(histogram:)")]:
    row = stats(metric, "ours")
    if row and any("per_cpu_second" in extra for extra in row["extras"]):
        per_cpu = median_extra(row, "per_cpu_second")
        results[metric]["per_cpu_second"] = per_cpu
        lines.append(f"| {what}, per CPU-second of the calling thread (moves less with the host's load than wall time) | {per_cpu:,.0f} {row['unit']} | – | – | – | – |")

allocations = rows.get(("train-step", "ours"), {}).get("extra", {}).get("allocations_per_step")
if allocations is not None:
    lines.append(f"| heap allocations in a warm training step (malloc/calloc/realloc calls, median) | {allocations} | – | – | 0 | {'met' if allocations == 0 else 'missed'} |")
bytes_per_event = rows.get(("writer-scalars", "ours"), {}).get("extra", {}).get("bytes_per_event")
if bytes_per_event:
    lines.append(f"| bytes per scalar event after each tag's first | {bytes_per_event:.2f} B | – | – | <= 44 | {'met' if bytes_per_event <= 44 else 'missed'} |")

def missed(metric):
    entry = results.get(metric)
    if not entry or entry["target"] is None:
        return False
    higher = next(h for m, _, h, *_ in table if m == metric)
    value = entry["ours"]["median"]
    return value < entry["target"] if higher else value > entry["target"]


# The tutorial's products, (m, n, k) multiply-adds: a step's 8 and an evaluation batch's 3.
STEP_MACS = sum(m * n * k for m, n, k in [(100, 128, 784), (100, 32, 128), (100, 10, 32), (32, 10, 100), (100, 32, 10),
                                          (128, 32, 100), (100, 128, 32), (784, 128, 100)])
EVAL_MACS = sum(m * n * k for m, n, k in [(100, 128, 784), (100, 32, 128), (100, 10, 32)])
LOOP_GFLOP = 2 * (2000 * STEP_MACS + 1400 * EVAL_MACS) / 1e9
kernel_in_use = blas["kernel"]
peak_text = (f"{library}'s {kernel_in_use} kernel reaches {peak['median']:.0f} GFLOP/s on one core here at best (1024^3, this run)"
             if peak else f"{library}'s {kernel_in_use} kernel")

notes = []
if missed("train-step") and gemm:
    tensorflow = stats("train-step", "tensorflow")
    versus = f" It is {tensorflow['median'] / step['median']:.2f}x faster than TensorFlow's in the same run." if tensorflow else ""
    notes.append(f"""- **Training step** (target 0.35 ms): its median is {step['median']:.3f} ms, {step['median'] / 0.35:.2f}x the
  target, and its 10th percentile {median_extra(step, 'p10'):.3f} ms (medians over rounds).{versus} The step is GEMM-bound: its 8 matrix
  products alone took {gemm['median']:.3f} ms median in this run ({2 * STEP_MACS / 1e6:.1f} MFLOP; {peak_text};
  the CPU reports {features}), split over the two cores by
  `ParallelGEMM`; weight gradients are fused into their updates, bias adds and relus into
  their products, feeds are read in place and nothing is allocated. When the host is busy, both
  move together.""")
if missed("tutorial-loop") and loop_parts:
    rest = loop["median"] - loop_parts
    if rest >= 0:
        parts_text = f"""the rest ({rest:.3f} s) is the 3400 batch gathers (random rows, bytes to floats, on both
  cores), summaries, flushes and checkpoints, and the host's load at the loop's moments"""
    else:
        parts_text = "the loop itself ran at a quieter moment than those rows"
    notes.append(f"""- **Tutorial loop** (target 1.0 s): {loop['median']:.3f} s median, {loop['min']:.3f} s at best. Its 2000 steps and 1400
  evaluation batches alone account for {loop_parts:.3f} s at this run's medians; {parts_text}.
  The loop's matrix products are {LOOP_GFLOP:.0f} GFLOP{f", {LOOP_GFLOP / (2 * peak['median']):.2f} s at the one-core peak above on both cores," if peak else ","}
  so 1.0 s leaves little room on this machine.""")
if missed("read-scalars"):
    notes.append(f"- **Scalar series** (target 10 M points/s): {results['read-scalars']['ours']['median']:,.0f} points/s median in this run.")
if missed("read-events"):
    notes.append(f"- **Reader** (target 10 M events/s): {results['read-events']['ours']['median']:,.0f} events/s median in this run.")
if step_speedup is not None and step_speedup < 3.5:
    notes.append(f"- **Training step against TensorFlow** (target 3.5x): {step_speedup:.2f}x in this run.")
if loop_speedup is not None and loop_speedup < 4.0:
    notes.append(f"- **Tutorial loop against TensorFlow** (target 4x): {loop_speedup:.2f}x in this run.")
if results.get("gemm-peak", {}).get("share_of_best", 1) < 0.9:
    notes.append(f"- **Kernel choice** (target: within 10% of the best kernel): the kernel in use reaches {results['gemm-peak']['share_of_best']:.2f} of {closest_kernel[0]}'s peak in this run (median ratio of adjacent runs).")
if step_over_products is not None and step_over_products > 1.2:
    how = "side by side in one process" if paired else "separate runs"
    notes.append(f"- **Step over its products** (target 1.2x): {step_over_products:.2f}x in this run ({how}).")
for metric, label in [("writer-scalars", "Writer"), ("writer-scalars-mix", "Writer, 10-tag mix"), ("writer-histogram", "Histogram"), ("validate-events", "Validator"), ("read-large-records", "Large records"), ("peak-rss", "Peak RSS")]:
    if missed(metric):
        notes.append(f"- **{label}**: {results[metric]['ours']['median']:,.3f} against a target of {results[metric]['target']:,}.")

cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
rounds = max((s["n"] for s in (stats(m, "ours") for m, *_ in table) if s), default=0)
section = f"""## {blas['cpu']} ({blas['vendor']} family {blas['family']} model {blas['model']})
<!-- cpu-kind: {cpu_key} -->

Measured by `tools/bench/run` on {now}: {cores} cores, release build, {rounds} rounds run
interleaved (ours, reference, ours, reference, ...). Vector features (cpuid, as the OS
enables them): {features}. BLAS: {library}, kernel {kernel_in_use}, selected as
`{blas['selection']}` with no OpenBLAS setting in the environment.

| benchmark | ours | reference | ratio | target | |
|---|---|---|---|---|---|
""" + "\n".join(lines) + """

""" + (split_text + "\n\n" if split_text else "") + (data_parallel.scaling_text(stats) + "\n" if data_parallel.scaling_text(stats) else "") + ("""Where a target is missed, and why (medians move by up to 1.5x between minutes on these
shared VMs; ratios within one run are the stable numbers):
""" + "\n".join(notes) if notes else "Every target is met in this run.") + "\n"

preamble = """# Benchmarks

`tools/bench/run [ROUNDS]` measures ours against references run on the same machine in the
same run, interleaved: TensorFlow 2.21 (`tf.compat.v1` graph mode, FileWriter,
`summary_iterator`) and tensorboardX from PyPI (programs in `tools/bench/reference/`).
Cells are medians with min–max. These machines are noisy: compare ratios from one run,
not numbers across runs. Each CPU kind the project's machines have gets its own section,
rewritten by a run on that kind; the CPU facts and the BLAS kernel are read from the
machine by `blas-info` during the run.

- Reference writers write 100 000 events per round (tensorboardX is slow enough that a
  million would dominate the run); ours writes 1 000 000. Rates are events per second.
- `writer-histogram` times `add(histogram:)` on the caller's thread (statistics, buckets,
  event queued), 5 times per round on the same 10M-value array, and reports the median;
  tensorboardX's `add_histogram` gets the same float32 values as a numpy array (its
  buckets are TensorFlow 1's ~1500 exponential edges via `np.histogram`; ours are 30
  equal-width buckets, TensorFlow 2's `tf.summary.histogram` layout). `writer-scalars-mix`
  likewise makes 5 writers per round, each adding 1M scalars over 10 tags to its own file
  and closing it, and reports the median. Both new writer rows
  also record `per_cpu_second` in the raw lines (the calling thread's CPU time), which moves
  less than wall time when the host is busy.
- `read-events` checks both CRCs and each Event's structure and reads its wall time and
  step without decoding or copying it (`forEach` hands out views into the read buffer);
  `read-event-records` does the same through `next()`, copying each payload into an
  `EventRecord`; `decode-events` also decodes every Event with swift-protobuf, as
  `summary_iterator` does with the same file.
- `read-scalars` reads the scalar series `loss` of the same 1M-event file: ours through
  `RunReader.scalars(tag:)`; references TensorBoard's `EventAccumulator` (scalars size
  guidance 0, keep all; `Reload()` then `Scalars("loss")`) and TensorFlow's
  `summary_iterator` keeping (step, wall time, value). Rates are points per second; ours
  is the fastest of 3 passes in its process (the first also reads the file into the page
  cache), the references make one pass.
- The tutorial loop is timed by `fully-connected-feed` itself (data already loaded), the
  reference loop likewise inside the TensorFlow program.
- `gemm-peak` rows time one core's best 1024^3 sgemm under each kernel this CPU can run
  (`OPENBLAS_CORETYPE` set per row), under OpenBLAS's own detection, and under the kernel
  TFCore chooses with nothing set (`BLASKernelChoice`), each other kernel right after a run
  of the kernel in use, three such pairs per kernel and round. The kernel-choice row
  compares the kernel in use with each other kernel by the median of the ratios within
  those adjacent pairs, and names the one it comes closest to losing against.
"""
sections = []
if os.path.exists(markdown_path):
    existing = open(markdown_path).read()
    for part in re.split(r"(?m)^(?=## )", existing)[1:]:
        match = re.search(r"<!-- cpu-kind: (\S+) -->", part)
        if match and match.group(1) != cpu_key:
            sections.append(part.rstrip() + "\n")
text = preamble + "\n" + section + "".join("\n" + part for part in sections)
open(markdown_path, "w").write(text)
json.dump({"date": now, "cpu": blas, "cores": cores, "results": results}, open(json_path, "w"), indent=1)
print(section)


def headline():
    """README's headline rows from this run: ours, the reference, the ratio."""
    def value(metric, side="ours"):
        row = stats(metric, side)
        return row["median"] if row else None

    def rate(v, unit):
        if v is None:
            return "–"
        if v >= 1e8:
            return f"{v / 1e6:.0f} M {unit}"
        if v >= 1e6:
            return f"{v / 1e6:.1f} M {unit}"
        if v >= 1e5:
            return f"{v / 1e6:.2f} M {unit}"
        return f"{v / 1e3:.1f} k {unit}" if v >= 1e3 else f"{v:.0f} {unit}"

    def faster(ours, reference, higher):
        if ours is None or reference is None:
            return ""
        speed = ours / reference if higher else reference / ours
        return f"{speed:.{0 if speed >= 10 else 1}f}x"

    table_rows = []
    def add(label, ours, reference="", ratio=""):
        if ours:
            table_rows.append(f"| {label} | {ours} | {reference} | {ratio} |")

    for metric, label, unit, scale, digits in [("train-step", "training step, batch 100", "ms", 1, 3),
                                                ("tutorial-loop", "tutorial 2000-step loop", "s", 1, 2),
                                                ("summaries-run", "`mnist-with-summaries`, the whole 1000-step run", "s", 1, 1)]:
        ours, tensorflow = value(metric), value(metric, "tensorflow")
        spread = stats(metric, "tensorflow")
        if ours is not None:
            reference = (f"TensorFlow {tensorflow:.{digits}f} {unit} ({spread['min']:.{digits}f}–{spread['max']:.{digits}f} over the rounds)"
                         if tensorflow else "")
            add(label, f"{ours:.{digits}f} {unit}", reference, faster(ours, tensorflow, False) + " faster" if tensorflow else "")
    if step and gemm:
        add("training step / its 8 matrix products alone" + (" (side by side)" if paired else ""), f"{step_over_products:.2f}x")
    if traced and untraced:
        add("a traced step (`.fullTrace`, RunMetadata encoded) / an untraced one", f"{traced['median'] / untraced['median']:.2f}x")
    if value("histogram-784x500") is not None:
        add("`HistogramSummary` op of a 784x500 tensor", f"{value('histogram-784x500'):.2f} ms")
    single, mix = value("writer-scalars"), value("writer-scalars-mix")
    tf_writer, tbx_writer = value("writer-scalars", "tensorflow"), value("writer-scalars", "tensorboardx")
    if single is not None:
        per_cpu = results.get("writer-scalars-mix", {}).get("per_cpu_second")
        mix_text = f"; 10-tag mix {rate(mix, 'events/s')}" + (f" ({rate(per_cpu, 'per CPU-second')})" if per_cpu else "") if mix else ""
        add("`add(scalar:)` to disk, file closed; one tag" + ("; the 10-tag mix" if mix else ""), rate(single, "events/s") + mix_text,
            "; ".join(part for part in [f"TF FileWriter {rate(tf_writer, 'events/s')}" if tf_writer else "",
                                         f"tensorboardX {rate(tbx_writer, 'events/s')}" if tbx_writer else ""] if part),
            "; ".join(part for part in [faster(single, tf_writer, True) if tf_writer else "", faster(single, tbx_writer, True) if tbx_writer else ""] if part))
    histogram = stats("writer-histogram", "ours")
    if histogram:
        tbx = value("writer-histogram", "tensorboardx")
        add("`add(histogram:)` of 10 M float32 values", f"{rate(histogram['median'], 'values/s')} ({histogram['min'] / 1e6:.0f}–{histogram['max'] / 1e6:.0f} M over the rounds)",
            f"tensorboardX `add_histogram` {rate(tbx, 'values/s')}" if tbx else "", faster(histogram["median"], tbx, True) if tbx else "")
    scalars = value("read-scalars")
    if scalars is not None:
        accumulator, iterator = value("read-scalars", "tensorboard"), value("read-scalars", "tensorflow")
        add("`RunReader.scalars(tag:)`, 1M-event file", rate(scalars, "points/s"),
            "; ".join(part for part in [f"`EventAccumulator` {rate(accumulator, 'points/s')}" if accumulator else "",
                                         f"`summary_iterator` {rate(iterator, 'points/s')}" if iterator else ""] if part),
            "; ".join(part for part in [faster(scalars, accumulator, True) if accumulator else "", faster(scalars, iterator, True) if iterator else ""] if part))
    add("reading a 1M-event file (`forEach`), every CRC, wall time + step", rate(value("read-events"), "events/s") if value("read-events") else "")
    decoded, iterator_decoded = value("decode-events"), value("decode-events", "tensorflow")
    if decoded is not None:
        add("the same, every Event fully decoded", rate(decoded, "events/s"),
            f"`summary_iterator` {rate(iterator_decoded, 'events/s')}" if iterator_decoded else "",
            faster(decoded, iterator_decoded, True) if iterator_decoded else "")
    add("validating the same file (`tfevents validate`)", rate(value("validate-events"), "events/s") if value("validate-events") else "")
    if peak and fastest_kernel and closest_kernel:
        add("one core's sgemm peak, kernel chosen with nothing set / the strongest kernel setting (adjacent runs)", f"{peak['median']:.0f} GFLOP/s",
            f"fastest of {len(kernel_peaks)} kernels: {fastest_kernel[1]['median']:.0f} GFLOP/s", f"{closest_kernel[1]:.2f}")
    if allocations is not None:
        add("heap allocations in a warm training step", str(allocations))
    sgemm = f"; one core's best sgemm reached {fastest_kernel[1]['median']:.0f} GFLOP/s" if fastest_kernel else ""
    return (f"Headline rows from the last run ({blas['cpu']}, {blas['vendor']} family {blas['family']} model {blas['model']}, "
            f"kernel {kernel_in_use}, {now[:10]}, {rounds} rounds, medians{sgemm}):\n\n"
            "| | ours | reference | ratio |\n|---|---|---|---|\n" + "\n".join(table_rows) + "\n")


def this_cpu_results():
    """This run's column pair of README's results table: the CPU kind's label and its medians."""
    def pair(metric):
        ours, tensorflow = stats(metric, "ours"), stats(metric, "tensorflow")
        return {"ours": ours["median"] if ours else None, "tensorflow": tensorflow["median"] if tensorflow else None,
                "tensorflow_min": tensorflow["min"] if tensorflow else None, "tensorflow_max": tensorflow["max"] if tensorflow else None}
    name = re.sub(r"\((R|TM|tm)\)|\bProcessor\b|\bCPU\b.*$", "", blas["cpu"])
    name = " ".join(name.split()) or blas["vendor"]
    vector = next((label for feature, label in [("AVX-512F", "AVX-512"), ("AVX2", "AVX2"), ("SVE", "SVE"), ("NEON", "NEON")]
                   if feature in blas["features"]), "no vector features")
    return {"label": f"{name} family {blas['family']} model {blas['model']}, {vector}, kernel {blas['kernel']}",
            "date": now[:10], "rounds": rounds,
            "rows": {metric: pair(metric) for metric in
                     ["test-precision", "train-step", "gemm-bound", "tutorial-loop", "summaries-run", "peak-rss"]}}


def results_table(by_cpu):
    """README's results table: one column pair (ours, TensorFlow) per CPU kind, each from
    that kind's last run, as `results-by-cpu.json` keeps them."""
    kinds = sorted(by_cpu.values(), key=lambda kind: kind["label"])
    def cell(kind, metric, side, unit, digits, spread=False):
        row = kind["rows"].get(metric) or {}
        value = row.get(side)
        if value is None:
            return ""
        text = f"{value:.{digits}f}{' ' + unit if unit else ''}"
        ours = row.get("ours")
        if side == "tensorflow" and unit in ("ms", "s") and ours:
            extra = f"{value / ours:.1f}x"
            if spread and row.get("tensorflow_min") is not None and row["tensorflow_max"] > 1.25 * row["tensorflow_min"]:
                extra += f"; {row['tensorflow_min']:.{digits}f}–{row['tensorflow_max']:.{digits}f} {unit} over the rounds"
            text += f" ({extra})"
        return text
    header = [text for kind in kinds for text in (f"{kind['label']} ({kind['date']}, {kind['rounds']} rounds)", "")]
    lines = ["| | " + " | ".join(header) + " |",
             "|---|" + "---|---|" * len(kinds),
             "| | " + " | ".join("ours | TensorFlow" for _ in kinds) + " |"]
    for label, metric, unit, digits, spread in [
            ("test precision @ 1 after 2000 steps, defaults", "test-precision", "", 3, False),
            ("training step, batch 100 (median)", "train-step", "ms", 3, False),
            ("its 8 matrix products alone", "gemm-bound", "ms", 3, False),
            ("whole 2000-step loop with summaries, evals, checkpoints", "tutorial-loop", "s", 2, True),
            ("`mnist-with-summaries`, 1000 steps, whole test set every 10", "summaries-run", "s", 1, True),
            ("peak memory of the full run", "peak-rss", "MB", 0, False)]:
        cells = [cell(kind, metric, side, unit, digits, spread) for kind in kinds for side in ("ours", "tensorflow")]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def replace_between(text, begin, end, body):
    if begin not in text or end not in text:
        return text
    before, rest = text.split(begin, 1)
    return before + begin + "\n" + body + end + rest.split(end, 1)[1]


# Each CPU kind's last run, kept beside results.json: this run replaces its own kind's.
by_cpu_path = os.path.join(os.path.dirname(os.path.abspath(json_path)), "results-by-cpu.json")
by_cpu = json.load(open(by_cpu_path)) if os.path.exists(by_cpu_path) else {}
# A kind recorded before the bench read family and model is keyed "<vendor>-unrecorded":
# this vendor's first run with facts replaces it.
by_cpu.pop(f"{blas['vendor']}-unrecorded", None)
by_cpu[cpu_key] = this_cpu_results()
json.dump(by_cpu, open(by_cpu_path, "w"), indent=1, sort_keys=True)

readme_path = os.path.join(os.path.dirname(os.path.abspath(markdown_path)), "README.md")
if os.path.exists(readme_path):
    readme = open(readme_path).read()
    readme = replace_between(readme, "<!-- bench-headline:begin -->", "<!-- bench-headline:end -->", headline())
    readme = replace_between(readme, "<!-- bench-results:begin -->", "<!-- bench-results:end -->", results_table(by_cpu))
    open(readme_path, "w").write(readme)
