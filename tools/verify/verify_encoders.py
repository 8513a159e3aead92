"""Decodes the WAV and GIF files tools/demo-run wrote (DIR/encoders/cases.json) with
decoders that are not ours, Python's `wave` and Pillow, and compares what they hold.

Usage: verify_encoders.py DIR     (DIR is the demo-run directory)
WAV: format (PCM, 16-bit, channels, rate) and every sample = round(clamp(s, -1, 1) * 32767).
GIF: size, frame count, each frame's duration, and every pixel (exact when the video has at
most 256 colours, else within the 6x7x6 colour cube's half step per channel).
"""

import io
import json
import os
import struct
import sys
import wave

from PIL import Image, ImageSequence

from checklist import check, failures


def expected_pcm(sample):
    clamped = min(max(sample, -1.0), 1.0)
    # Swift rounds half away from zero; Python's round() rounds half to even.
    scaled = clamped * 32767.0
    return int(scaled + 0.5) if scaled >= 0 else -int(-scaled + 0.5)


def check_wav(path, case):
    with wave.open(path, "rb") as clip:
        params = clip.getparams()
        frames = clip.readframes(params.nframes)
    samples = list(struct.unpack("<%dh" % (len(frames) // 2), frames))
    want = [expected_pcm(s) for s in case["samples"]]
    check(params.comptype == "NONE" and params.sampwidth == 2 and params.nchannels == case["channels"]
          and params.framerate == case["sample_rate"] and params.nframes * case["channels"] == len(want),
          f"WAV {case['file']}: PCM 16-bit, {params.nchannels} channels, {params.framerate} Hz, {params.nframes} frames")
    check(samples == want, f"WAV {case['file']}: the {len(samples)} samples decode to round(clamp(s) * 32767)")


def check_gif(path, case):
    image = Image.open(path)
    width, height, channels = case["width"], case["height"], case["channels"]
    size = width * height * channels
    frames = [frame.convert("RGB").tobytes() for frame in ImageSequence.Iterator(image)]
    image.seek(0)
    durations = []
    for index in range(case["frames"]):
        image.seek(index)
        durations.append(image.info.get("duration"))
    check(image.format == "GIF" and image.size == (width, height) and len(frames) == case["frames"],
          f"GIF {case['file']}: {image.size[0]}x{image.size[1]}, {len(frames)} frames")
    check(all(d == case["duration_ms"] for d in durations) and image.info.get("loop") == 0,
          f"GIF {case['file']}: every frame lasts {durations[0]} ms, loops forever")
    worst = 0
    for index, frame in enumerate(frames):
        want = case["pixels"][index * size:(index + 1) * size]
        if channels == 1:
            want = [v for v in want for _ in range(3)]
        worst = max([worst] + [abs(a - b) for a, b in zip(frame, want)])
    limit = 0 if case["exact"] else 26
    check(worst <= limit, f"GIF {case['file']}: every pixel within {limit} of the frames (largest difference {worst})")


def main():
    directory = os.path.join(sys.argv[1], "encoders")
    with open(os.path.join(directory, "cases.json")) as f:
        cases = json.load(f)
    print("WAV files through Python's wave module, GIF files through Pillow:")
    for case in cases["wav"]:
        check_wav(os.path.join(directory, case["file"]), case)
    for case in cases["gif"]:
        check_gif(os.path.join(directory, case["file"]), case)
    if not cases["wav"] or not cases["gif"]:
        check(False, "cases.json lists WAV and GIF files")
    if failures:
        print(f"\nverify_encoders: {len(failures)} check(s) failed")
        sys.exit(1)
    print("\nverify_encoders: every check passed")


if __name__ == "__main__":
    main()
