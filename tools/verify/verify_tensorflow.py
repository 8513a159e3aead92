"""Checks our checkpoints and GraphDef with real TensorFlow (tensorflow-cpu from PyPI).

Usage: verify_tensorflow.py DIR CHECKPOINT_CHECK_BINARY

DIR holds what `checkpoint-check export DIR` wrote. Checks:
1. tf.train.load_checkpoint reads our checkpoint; every variable is bit-identical to the
   value our Session held, with the right dtype and shape (global_step int32);
   tf.train.latest_checkpoint finds it.
2. TensorFlow writes a checkpoint of the same variables (with new values); our Saver
   restores it bit for bit (`checkpoint-check restore`).
3. tf.compat.v1.import_graph_def accepts our forward graph; with our variable values it
   computes our logits within 1e-5.
"""

import json
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf

tf.get_logger().setLevel("ERROR")

failures = []


def check(condition, message):
    print(("  ok    " if condition else "  FAIL  ") + message)
    if not condition:
        failures.append(message)


def main():
    directory, tool = sys.argv[1], sys.argv[2]
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    dtypes = {"float32": np.float32, "int32": np.int32}

    print(f"TensorFlow {tf.__version__} reading our checkpoint {os.path.basename(manifest['checkpoint'])}:")
    check(tf.train.latest_checkpoint(directory) == manifest["checkpoint"], "tf.train.latest_checkpoint finds it")
    reader = tf.train.load_checkpoint(manifest["checkpoint"])
    stored = reader.get_variable_to_dtype_map()
    values = {}
    for variable in manifest["variables"]:
        name = variable["name"]
        raw = open(os.path.join(directory, "values", variable["file"]), "rb").read()
        ours = np.frombuffer(raw, dtype=dtypes[variable["dtype"]]).reshape(variable["shape"])
        values[name] = ours
        if name not in stored:
            check(False, f"{name} missing from the checkpoint")
            continue
        theirs = reader.get_tensor(name)
        check(theirs.dtype == ours.dtype and list(theirs.shape) == variable["shape"] and theirs.tobytes() == ours.tobytes(),
              f"{name}: {theirs.dtype} {list(theirs.shape)} bit-identical")
    check(stored.get("global_step") == tf.int32, "global_step is int32, as in the tutorial")

    print("TensorFlow writing a checkpoint our Saver restores:")
    tf_dir = os.path.join(directory, "tf")
    os.makedirs(os.path.join(directory, "tf-values"), exist_ok=True)
    graph = tf.Graph()
    with graph.as_default():
        new_values = {name: (value + 1 if value.dtype == np.float32 else value + 7) for name, value in values.items()}
        for variable in manifest["variables"]:
            tf.compat.v1.Variable(new_values[variable["name"]], name=variable["name"])
            new_values[variable["name"]].tofile(os.path.join(directory, "tf-values", variable["file"]))
        saver = tf.compat.v1.train.Saver()
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            names = sorted(v.op.name for v in tf.compat.v1.global_variables())
            check(names == sorted(values), f"TensorFlow variables named as ours: {names[:3]}...")
            prefix = saver.save(session, os.path.join(tf_dir, "model.ckpt"), global_step=7)
    result = subprocess.run([tool, "restore", prefix, directory], capture_output=True, text=True)
    print(result.stdout, end="")
    check(result.returncode == 0, f"our Saver restores {os.path.basename(prefix)} ({result.stderr.strip() or 'exit 0'})")

    print("TensorFlow importing our GraphDef:")
    graph_def = tf.compat.v1.GraphDef()
    graph_def.ParseFromString(open(os.path.join(directory, "graph.pb"), "rb").read())
    with tf.Graph().as_default() as full:
        tf.compat.v1.import_graph_def(graph_def, name="")
        check(len(full.get_operations()) == len(graph_def.node),
              f"import_graph_def accepted the whole training graph ({len(graph_def.node)} nodes, gradients and optimizer included)")
    forward = tf.compat.v1.graph_util.extract_sub_graph(graph_def, [manifest["logits"]])
    imported = tf.Graph()
    with imported.as_default():
        tf.compat.v1.import_graph_def(forward, name="")
        check(True, f"import_graph_def accepted the forward graph ({len(forward.node)} of {len(graph_def.node)} nodes)")
        assigns = []
        for node in forward.node:
            if node.op == "VariableV2":
                ref = imported.get_tensor_by_name(node.name + ":0")
                assigns.append(tf.compat.v1.assign(ref, values[node.name]))
        images = np.fromfile(os.path.join(directory, "input.bin"), dtype=np.float32).reshape(manifest["input_shape"])
        expected = np.fromfile(os.path.join(directory, "logits.bin"), dtype=np.float32).reshape([manifest["input_shape"][0], 10])
        with tf.compat.v1.Session(graph=imported) as session:
            session.run(assigns)
            logits = session.run(manifest["logits"] + ":0", {manifest["images"] + ":0": images})
        difference = float(np.max(np.abs(logits - expected)))
        check(difference <= 1e-5, f"TensorFlow's logits match ours (max difference {difference:.2e})")

    if failures:
        print(f"\nverify-with-tensorflow: {len(failures)} check(s) failed")
        sys.exit(1)
    print("\nverify-with-tensorflow: every check passed")


if __name__ == "__main__":
    main()
