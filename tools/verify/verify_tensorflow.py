"""Checks our checkpoints and GraphDef with real TensorFlow (tensorflow-cpu from PyPI).

Usage: verify_tensorflow.py DIR CHECKPOINT_CHECK_BINARY

DIR holds what `checkpoint-check export DIR` wrote. Checks:
1. tf.train.load_checkpoint reads our checkpoint; every variable is bit-identical to the
   value our Session held, with the right dtype and shape (global_step int32);
   tf.train.latest_checkpoint finds it.
2. TensorFlow writes a checkpoint of the same variables (with new values); our Saver
   restores it bit for bit (`checkpoint-check restore`).
3. tf.compat.v1.import_graph_def accepts our forward graph; with our variable values it
   computes our logits within 1e-5. Our constants read back as TensorFlow writes them:
   scalars and filled shapes as one typed value (a splat), one learning-rate constant.
4. tf.compat.v1.train.import_meta_graph accepts our model.ckpt-N.meta: its Saver restores
   our checkpoint bit for bit, TensorFlow runs 10 more training steps of our graph (the
   train op from the `train_op` collection, fed through our placeholders) with the losses
   our Session computed, global_step advances, and the checkpoint TensorFlow's Saver then
   writes is restored bit for bit by ours.
"""

import json
import os
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf

tf.get_logger().setLevel("ERROR")

from checklist import check, failures


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

    check_constants(graph_def, manifest)
    continue_training(directory, tool, manifest, values)

    if failures:
        print(f"\nverify-with-tensorflow: {len(failures)} check(s) failed")
        sys.exit(1)
    print("\nverify-with-tensorflow: every check passed")


def check_constants(graph_def, manifest):
    print("Our constants, as TensorFlow reads them:")
    consts = {node.name: node.attr["value"].tensor for node in graph_def.node if node.op == "Const"}
    zeros = consts["hidden1/zeros"]
    check(list(zeros.float_val) == [0.0] and not zeros.tensor_content
          and tf.make_ndarray(zeros).shape == (128,) and not tf.make_ndarray(zeros).any(),
          "hidden1/zeros is a splat: float_val 0 over [128]")
    rates = [name for name in consts if name.endswith("learning_rate")]
    check(rates == ["GradientDescent/learning_rate"], f"one learning-rate constant: {rates}")
    rate = consts.get("GradientDescent/learning_rate")
    check(rate is not None and list(rate.float_val) == [np.float32(manifest["learning_rate"])] and not rate.tensor_content,
          "GradientDescent/learning_rate is float_val " + str(manifest["learning_rate"]))
    updates = [node for node in graph_def.node if node.op == "ApplyGradientDescent"]
    check(len(updates) == 6 and all(node.input[1] == "GradientDescent/learning_rate" for node in updates),
          "all 6 ApplyGradientDescent ops read it")
    raw = [name for name, tensor in consts.items() if tensor.tensor_content and len(set(tf.make_ndarray(tensor).flat)) <= 1]
    check(not raw, f"no filled constant is written as raw bytes {raw}")


def continue_training(directory, tool, manifest, values):
    print("TensorFlow continuing training from our meta graph and checkpoint:")
    prefix = manifest["checkpoint"]
    batch = manifest["train_batch"]
    images = np.fromfile(os.path.join(directory, "train-images.bin"), dtype=np.float32).reshape([batch, 784])
    labels = np.fromfile(os.path.join(directory, "train-labels.bin"), dtype=np.int32)
    ours = np.fromfile(os.path.join(directory, "losses.bin"), dtype=np.float32)
    meta_dir = os.path.join(directory, "meta")
    os.makedirs(os.path.join(meta_dir, "tf-values"), exist_ok=True)
    graph = tf.Graph()
    with graph.as_default():
        saver = tf.compat.v1.train.import_meta_graph(prefix + ".meta")
        check(saver is not None and saver.saver_def.restore_op_name == "save/restore_all"
              and saver.saver_def.version == 2, "import_meta_graph accepted model.ckpt-N.meta and built its Saver (V2)")
        train_ops = tf.compat.v1.get_collection("train_op")
        check([op.name for op in train_ops] == ["GradientDescent"], f"train_op collection: {[op.name for op in train_ops]}")
        variables = [v.op.name for v in tf.compat.v1.global_variables()]
        trainable = [v.op.name for v in tf.compat.v1.trainable_variables()]
        check(variables == [v["name"] for v in manifest["variables"]] and trainable == variables[:-1],
              f"variables and trainable_variables collections: {len(variables)}, {len(trainable)}")
        check([t.name for t in tf.compat.v1.get_collection("summaries")] == ["loss:0"], "summaries collection: loss:0")
        feed = {manifest["images"] + ":0": images, manifest["labels"] + ":0": labels}
        with tf.compat.v1.Session(graph=graph) as session:
            saver.restore(session, prefix)
            same = all(session.run(name + ":0").tobytes() == value.tobytes() for name, value in values.items())
            check(same, "its Saver restored our checkpoint bit for bit")
            losses = [session.run(manifest["loss"], feed)]
            for _ in range(10):
                session.run(train_ops[0], feed)
                losses.append(session.run(manifest["loss"], feed))
            losses = np.array(losses, dtype=np.float32)
            step = int(session.run("global_step:0"))
            check(losses[-1] < losses[0], f"10 steps of our graph lower the loss: {losses[0]:.4f} -> {losses[-1]:.4f}")
            difference = float(np.max(np.abs(losses - ours)))
            check(difference <= 1e-5, f"TensorFlow's losses match our Session's (max difference {difference:.2e})")
            check(step == manifest["global_step"] + 10, f"global_step advanced {manifest['global_step']} -> {step}")
            trained = {name: session.run(name + ":0") for name in values}
            saved = saver.save(session, os.path.join(meta_dir, "model.ckpt"), global_step=step)
    for variable in manifest["variables"]:
        trained[variable["name"]].tofile(os.path.join(meta_dir, "tf-values", variable["file"]))
    result = subprocess.run([tool, "restore", saved, meta_dir], capture_output=True, text=True)
    print(result.stdout, end="")
    check(result.returncode == 0,
          f"our Saver restores {os.path.basename(saved)}, written by TensorFlow's imported Saver ({result.stderr.strip() or 'exit 0'})")


if __name__ == "__main__":
    main()
