"""The data-parallel rows of BENCHMARKS.md and, on paper from them, the expected scaling to
more machines (used by summarize.py).

Model: each step a rank computes its batch (T_c, measured as the 1-process step at batch
100 and taken as proportional to the batch), then one ring allreduce of the measured fused
buffer S: T_ar(N) = 2 (N - 1) / N * S / bandwidth + 2 (N - 1) * latency. Nothing overlaps
(the allreduce is one op after every gradient), so N machines run N * T_c / (T_c + T_ar)
times as many examples per second as one. Data parallelism stops paying off at the batch
per rank where that speed-up falls to 1: T_c(b) = T_ar / (N - 1).
"""

NETWORKS = [("10 Gb/s", 10e9 / 8), ("25 Gb/s", 25e9 / 8)]
MACHINES = [2, 4, 8, 16, 32, 64]
# An assumption, not a measurement: one TCP message hop between machines on a LAN.
LATENCY_S = 25e-6
BATCH = 100

ROWS = [
    ("dp-1-step", "data-parallel, 1 process: mean step, batch 100 (gather + step)"),
    ("dp-1-examples", "data-parallel, 1 process: examples/s"),
    ("dp-2-step", "data-parallel, 2 ranks (oversubscribed): mean step, batch 100 per rank"),
    ("dp-2-allreduce", "data-parallel, 2 ranks: allreduce per step (rank 0)"),
    ("dp-2-allreduce-share", "data-parallel, 2 ranks: allreduce share of the step"),
    ("dp-2-bytes", "data-parallel, 2 ranks: bytes each rank contributes per step (one fused buffer)"),
    ("dp-2-examples", "data-parallel, 2 ranks: examples/s (global)"),
    ("dp-4-step", "data-parallel, 4 ranks (oversubscribed): mean step, batch 100 per rank"),
    ("dp-4-allreduce", "data-parallel, 4 ranks: allreduce per step (rank 0)"),
    ("dp-4-allreduce-share", "data-parallel, 4 ranks: allreduce share of the step"),
    ("dp-4-bytes", "data-parallel, 4 ranks: bytes each rank contributes per step"),
    ("dp-4-examples", "data-parallel, 4 ranks: examples/s (global)"),
]


def allreduce_seconds(machines, bytes_per_step, bandwidth):
    return 2 * (machines - 1) / machines * bytes_per_step / bandwidth + 2 * (machines - 1) * LATENCY_S


def scaling_text(stats):
    """Markdown: the expected scaling from the measured compute time and bytes, or why not."""
    step, size = stats("dp-1-step", "ours"), stats("dp-2-bytes", "ours")
    if not step or not size or size["median"] <= 0:
        return ""
    compute = step["median"] / 1000
    payload = size["median"]
    header = "| machines | " + " | ".join(f"{name}: speed-up (allreduce)" for name, _ in NETWORKS) + " |"
    lines = [header, "|---" * (len(NETWORKS) + 1) + "|"]
    for machines in MACHINES:
        cells = []
        for _, bandwidth in NETWORKS:
            reduce = allreduce_seconds(machines, payload, bandwidth)
            cells.append(f"{machines * compute / (compute + reduce):.1f}x ({reduce * 1000:.2f} ms)")
        lines.append(f"| {machines} | " + " | ".join(cells) + " |")
    breakeven = ["| machines | " + " | ".join(f"{name}: break-even / half-efficiency batch" for name, _ in NETWORKS) + " |",
                 "|---" * (len(NETWORKS) + 1) + "|"]
    for machines in MACHINES:
        cells = []
        for _, bandwidth in NETWORKS:
            # Per example, compute costs compute / BATCH seconds.
            reduce = allreduce_seconds(machines, payload, bandwidth)
            cells.append(f"{BATCH * reduce / ((machines - 1) * compute):.0f} / {BATCH * reduce / compute:.0f}")
        breakeven.append(f"| {machines} | " + " | ".join(cells) + " |")
    return f"""### Data-parallel scaling, on paper

From this run's measurements: a step of batch 100 computes in {compute * 1000:.3f} ms (1 process,
gather included), and each rank contributes {payload:,.0f} bytes per step to one fused allreduce.
Assuming a ring allreduce (each rank sends and receives 2 (N-1)/N of the buffer), {LATENCY_S * 1e6:.0f} µs per
message between machines, compute proportional to the batch, and no overlap of the
allreduce with compute (it is one op after every gradient), N machines with batch 100 each:

""" + "\n".join(lines) + """

The batch per rank where it stops paying off: below the break-even batch, N machines
train fewer examples per second than one (the allreduce costs more than the N-1 extra
batches' compute); below the half-efficiency batch, the allreduce takes more of each step
than the compute (less than N/2 speed-up):

""" + "\n".join(breakeven) + "\n"
