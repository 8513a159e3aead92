"""Reference: the Mechanics 101 tutorial in TensorFlow 2.21's tf.compat.v1 graph mode
(mnist.py + fully_connected_feed.py), timed like bench-ours. Prints JSON lines.

Usage: tf_mechanics101.py train-step | tutorial-loop
"""

import json
import math
import os
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf

from fashion import read_data_sets

tf.compat.v1.disable_eager_execution()
tf.get_logger().setLevel("ERROR")


def build(batch_size=100, hidden1=128, hidden2=32, learning_rate=0.01):
    images = tf.compat.v1.placeholder(tf.float32, shape=(batch_size, 784))
    labels = tf.compat.v1.placeholder(tf.int32, shape=(batch_size,))
    def layer(name, x, n_in, n_out, relu=True):
        with tf.compat.v1.name_scope(name):
            w = tf.compat.v1.Variable(tf.compat.v1.truncated_normal([n_in, n_out], stddev=1.0 / math.sqrt(float(n_in))), name="weights")
            b = tf.compat.v1.Variable(tf.zeros([n_out]), name="biases")
            y = tf.matmul(x, w) + b
            return tf.nn.relu(y) if relu else y
    logits = layer("softmax_linear", layer("hidden2", layer("hidden1", images, 784, hidden1), hidden1, hidden2), hidden2, 10, relu=False)
    xent = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.cast(labels, tf.int64), logits=logits, name="xentropy")
    loss = tf.reduce_mean(xent, name="xentropy_mean")
    tf.compat.v1.summary.scalar("loss", loss)
    global_step = tf.compat.v1.Variable(0, name="global_step", trainable=False)
    train_op = tf.compat.v1.train.GradientDescentOptimizer(learning_rate).minimize(loss, global_step=global_step)
    correct = tf.reduce_sum(tf.cast(tf.compat.v1.nn.in_top_k(logits, labels, 1), tf.int32))
    return images, labels, loss, train_op, correct, tf.compat.v1.summary.merge_all()


def report(name, value, unit, **extra):
    print(json.dumps(dict(extra, name=name, value=value, unit=unit)), flush=True)


def main():
    which = sys.argv[1]
    train, validation, test = read_data_sets()
    with tf.Graph().as_default():
        images, labels, loss, train_op, correct, summary = build()
        saver = tf.compat.v1.train.Saver()
        session = tf.compat.v1.Session(config=tf.compat.v1.ConfigProto(intra_op_parallelism_threads=2, inter_op_parallelism_threads=1))
        session.run(tf.compat.v1.global_variables_initializer())
        if which == "train-step":
            times = []
            for step in range(2200):
                x, y = train.next_batch(100)
                start = time.perf_counter()
                session.run([train_op, loss], {images: x, labels: y})
                if step >= 200:
                    times.append((time.perf_counter() - start) * 1000)
            times.sort()
            report("train-step", times[len(times) // 2], "ms")
            return
        logdir = tempfile.mkdtemp()
        writer = tf.compat.v1.summary.FileWriter(logdir, session.graph)
        def do_eval(data):
            steps = data.num_examples // 100
            count = sum(session.run(correct, dict(zip((images, labels), data.next_batch(100)))) for _ in range(steps))
            return count / (steps * 100)
        start = time.perf_counter()
        for step in range(2000):
            x, y = train.next_batch(100)
            _, loss_value = session.run([train_op, loss], {images: x, labels: y})
            if step % 100 == 0:
                writer.add_summary(session.run(summary, {images: x, labels: y}), step)
                writer.flush()
            if (step + 1) % 1000 == 0:
                saver.save(session, os.path.join(logdir, "model.ckpt"), global_step=step)
                do_eval(train), do_eval(validation)
                precision = do_eval(test)
        report("tutorial-loop", time.perf_counter() - start, "s")
        report("test-precision", precision, "")


if __name__ == "__main__":
    main()
