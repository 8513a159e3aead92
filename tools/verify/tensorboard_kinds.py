"""Checks of the summary kinds beyond scalars, histograms, images, text, graphs and hparams,
each through the HTTP route of its TensorBoard plugin, comparing the values served with
those written (`expected.json` of tools/demo-run). Used by verify_tensorboard.py.
"""

import io
import math
import struct
import wave

KINDS = ("pr_curves", "audio", "videos", "meshes", "custom_scalars", "embeddings")
# The dashboard (plugin) each kind shows in.
PLUGINS = {"pr_curves": "pr_curves", "audio": "audio", "videos": "images", "meshes": "mesh",
           "custom_scalars": "custom_scalars", "embeddings": "projector"}


def close(a, b, tolerance=1e-6):
    return math.isclose(a, b, rel_tol=tolerance, abs_tol=tolerance)


def all_close(got, want, tolerance=1e-6):
    return len(got) == len(want) and all(close(a, b, tolerance) for a, b in zip(got, want))


def check_pr_curve(tb, item, check):
    data = tb.wait_for("pr curve", lambda: tb.get_json(
        "/data/plugin/pr_curves/pr_curves", {"run": item["run"], "tag": item["tag"]})[item["run"]])
    entry = data[0]
    # The plugin trims the thresholds past the last one with any predicted positive.
    n = len(entry["precision"])
    same = entry["step"] == item["step"] and n >= 1 and all(
        entry[key] == [int(v) for v in item[key][:n]]
        for key in ("true_positives", "false_positives", "true_negatives", "false_negatives")) and all(
        all_close(entry[key], item[key][:n]) for key in ("precision", "recall"))
    check(same, f"pr curve {item['run']}/{item['tag']}: {n} thresholds of counts, precision and recall as written")
    if "labels" in item:
        want = reference_pr_curve(item["labels"], item["predictions"], len(item["precision"]))
        same = all(all_close(entry[key], want[key][:n], 1e-5) for key in want)
        check(same, f"pr curve {item['run']}/{item['tag']}: the curve TensorBoard's pr_curve.pb formula gives")


def reference_pr_curve(labels, predictions, num_thresholds):
    """tensorboard.plugins.pr_curve.summary.pb's computation, in numpy (float32 predictions)."""
    import numpy as np

    predictions = np.array(predictions, dtype=np.float32)
    labels = np.array(labels, dtype=bool).astype(float)
    buckets = np.int32(np.floor(predictions * (num_thresholds - 1)))
    tp_buckets, _ = np.histogram(buckets, bins=num_thresholds, range=(0, num_thresholds - 1), weights=labels)
    fp_buckets, _ = np.histogram(buckets, bins=num_thresholds, range=(0, num_thresholds - 1), weights=1.0 - labels)
    tp = np.cumsum(tp_buckets[::-1])[::-1]
    fp = np.cumsum(fp_buckets[::-1])[::-1]
    tn = fp[0] - fp
    fn = tp[0] - tp
    return {"true_positives": tp.tolist(), "false_positives": fp.tolist(), "true_negatives": tn.tolist(),
            "false_negatives": fn.tolist(), "precision": (tp / np.maximum(1e-7, tp + fp)).tolist(),
            "recall": (tp / np.maximum(1e-7, tp + fn)).tolist()}


def check_plugins_listed(tb, check, plugins):
    """Each plugin is enabled (has data) in /data/plugins_listing, so its dashboard shows."""
    def listing():
        listed = tb.get_json("/data/plugins_listing")
        return listed if all(listed.get(p, {}).get("enabled") for p in plugins) else None
    try:
        listed = tb.wait_for("plugins listing", listing, timeout=30)
    except RuntimeError:
        listed = tb.get_json("/data/plugins_listing")
    missing = [p for p in plugins if not listed.get(p, {}).get("enabled")]
    check(not missing, f"dashboards enabled: {', '.join(plugins)}" + (f" (not: {missing})" if missing else ""))


def check_audio(tb, item, check):
    entries = tb.wait_for("audio", lambda: tb.get_json(
        "/data/plugin/audio/audio", {"run": item["run"], "tag": item["tag"]}))
    clip = tb.get("/data/plugin/audio/individualAudio?" + entries[0]["query"])
    with wave.open(io.BytesIO(clip), "rb") as decoded:
        params = decoded.getparams()
        frames = decoded.readframes(params.nframes)
    samples = struct.unpack("<%dh" % (len(frames) // 2), frames)
    want = [round(min(max(s, -1), 1) * 32767) for s in item["samples"]]
    same = (params.nchannels == item["channels"] and params.framerate == item["sample_rate"]
            and all(abs(a - b) <= 1 for a, b in zip(samples, want)) and len(samples) == len(want))
    check(same and entries[0]["contentType"] == "audio/wav",
          f"audio {item['run']}/{item['tag']}: {entries[0]['contentType']}, {params.nchannels} channel(s), "
          f"{params.framerate} Hz, {len(samples)} samples as written")


def check_video(tb, item, check):
    from PIL import Image, ImageSequence

    entries = tb.wait_for("video", lambda: tb.get_json(
        "/data/plugin/images/images", {"run": item["run"], "tag": item["tag"]}))
    gif = Image.open(io.BytesIO(tb.get("/data/plugin/images/individualImage?" + entries[0]["query"])))
    frames = [list(frame.convert("RGB").tobytes()) for frame in ImageSequence.Iterator(gif)]
    gif.seek(0)
    check(gif.format == "GIF" and gif.size == (item["width"], item["height"]) and frames == item["frames"]
          and gif.info.get("duration") == item["duration_ms"],
          f"video {item['run']}/{item['tag']}: {gif.format} {len(frames)} frames of {gif.size}, "
          f"{gif.info.get('duration')} ms each, pixels as written")


def check_mesh(tb, item, check):
    run, tag = item["run"], item["tag"]
    tags = tb.wait_for("mesh tags", lambda: tb.get_json("/data/plugin/mesh/tags")[run])
    check(tags.get(tag) == {"samples": 1}, f"mesh {run}/{tag}: listed with 1 sample ({tags.get(tag)})")
    parts = {"VERTEX": ("<%df", item["vertices"]), "FACE": ("<%di", item["faces"]), "COLOR": ("%dB", item["colors"])}
    for content_type, (layout, want) in parts.items():
        raw = tb.get("/data/plugin/mesh/data", {"run": run, "tag": tag, "content_type": content_type,
                                                "sample": 0, "step": item["step"]})
        size = struct.calcsize(layout % 1)
        got = list(struct.unpack(layout % (len(raw) // size), raw))
        check(all_close(got, want), f"mesh {run}/{tag}: {content_type} data as written ({len(got)} values)")
    meta = tb.get_json("/data/plugin/mesh/meshes", {"run": run, "tag": tag})
    check(len(meta) == 3 and {m["content_type"] for m in meta} == {1, 2, 3} and all(m["components"] == 14 for m in meta),
          f"mesh {run}/{tag}: metadata of the 3 parts, components bitmask 14")


def check_custom_scalars(tb, item, check):
    layout = tb.wait_for("custom scalars layout", lambda: tb.get_json("/data/plugin/custom_scalars/layout").get("category"))
    got = [{"title": c["title"], "charts": [
        {"title": chart["title"], **({"multiline": chart["multiline"]["tag"]} if "multiline" in chart
                                     else {"margin": chart["margin"]["series"]})}
        for chart in c["chart"]]} for c in layout]
    check(got == item["categories"], f"custom scalars layout: {got}")


def check_embedding(tb, item, check):
    from PIL import Image

    run, name = item["run"], item["name"]
    runs = tb.wait_for("projector runs", lambda: (lambda r: r if run in r else None)(tb.get_json("/data/plugin/projector/runs")))
    check(run in runs, f"projector lists run {run} ({runs})")
    config = tb.get_json("/data/plugin/projector/info", {"run": run})
    embedding = next((e for e in config.get("embeddings", []) if e["tensorName"] == name), None)
    values = item["values"]
    check(embedding is not None and [int(d) for d in embedding.get("tensorShape", [])] == [len(values), len(values[0])],
          f"projector {run}: embedding {name} of shape {embedding and embedding.get('tensorShape')}")
    raw = tb.get("/data/plugin/projector/tensor", {"run": run, "name": name})
    got = struct.unpack("<%df" % (len(raw) // 4), raw)
    check(all_close(got, [v for row in values for v in row]), f"projector {run}/{name}: {len(got)} coordinates as written")
    if "labels" in item:
        text = tb.get("/data/plugin/projector/metadata", {"run": run, "name": name}).decode()
        check(text.splitlines() == item["labels"], f"projector {run}/{name}: {len(text.splitlines())} labels as written")
    if "sprite" in item:
        sprite = Image.open(io.BytesIO(tb.get("/data/plugin/projector/sprite_image", {"run": run, "name": name})))
        dims = [int(d) for d in embedding["sprite"]["singleImageDim"]] if embedding else None
        check(list(sprite.size) == item["sprite"] and dims == item["thumbnail"],
              f"projector {run}/{name}: sprite {sprite.size}, thumbnails {dims}")


CHECKS = {"pr_curves": check_pr_curve, "audio": check_audio, "videos": check_video, "meshes": check_mesh,
          "custom_scalars": check_custom_scalars, "embeddings": check_embedding}
