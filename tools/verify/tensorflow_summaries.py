"""Runs TensorFlow's own HistogramSummary and ImageSummary ops (tf.compat.v1) on values
given as raw little-endian float32 files and prints, as JSON, what they produce: the
histogram's serialized `HistogramProto` (hex) and each image's tag, size and decoded
pixels. Tests compare this package's summary ops with it.

Usage: tensorflow_summaries.py HISTOGRAM_VALUES.f32 IMAGES.f32 BATCH HEIGHT WIDTH CHANNELS MAX_IMAGES
"""

import io
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
from PIL import Image

tf1 = tf.compat.v1
histogram_values = np.fromfile(sys.argv[1], dtype="<f4")
batch, height, width, channels, max_images = (int(a) for a in sys.argv[3:8])
images = np.fromfile(sys.argv[2], dtype="<f4").reshape(batch, height, width, channels)
graph = tf1.Graph()
with graph.as_default():
    histogram = tf1.summary.histogram("values", tf1.constant(histogram_values))
    image = tf1.summary.image("input", tf1.constant(images), max_outputs=max_images)
    with tf1.Session() as session:
        histogram_bytes, image_bytes = session.run([histogram, image])
summary = tf1.Summary.FromString(histogram_bytes)
result = {"histogram": summary.value[0].histo.SerializeToString(deterministic=True).hex(), "images": []}
for value in tf1.Summary.FromString(image_bytes).value:
    decoded = Image.open(io.BytesIO(value.image.encoded_image_string))
    result["images"].append({
        "tag": value.tag, "width": value.image.width, "height": value.image.height,
        "colorspace": value.image.colorspace, "pixels": list(decoded.tobytes()),
    })
json.dump(result, sys.stdout)
