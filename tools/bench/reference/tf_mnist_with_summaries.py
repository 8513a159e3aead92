"""Reference: TensorFlow 1's TensorBoard tutorial program (mnist_with_summaries.py) in
TensorFlow 2.21's tf.compat.v1 graph mode, on Fashion-MNIST with the tutorial's defaults
(1000 steps, Adam 0.001, keep probability 0.9, the whole test set evaluated every 10 steps,
full-trace run metadata at steps 99, 199, ...). Prints JSON lines: the whole run's seconds
and the final test accuracy (step 990's, the last printed).

Usage: tf_mnist_with_summaries.py [LOG_DIR]
"""

import json
import os
import shutil
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf

from fashion import read_data_sets

tf1 = tf.compat.v1
tf1.disable_eager_execution()
tf.get_logger().setLevel("ERROR")

MAX_STEPS, LEARNING_RATE, DROPOUT = 1000, 0.001, 0.9


def report(name, value, unit, **extra):
    print(json.dumps(dict(extra, name=name, value=value, unit=unit)), flush=True)


def train(train_set, test_set, log_dir):
    sess = tf1.InteractiveSession()
    with tf1.name_scope("input"):
        x = tf1.placeholder(tf.float32, [None, 784], name="x-input")
        y_ = tf1.placeholder(tf.int64, [None], name="y-input")
    with tf1.name_scope("input_reshape"):
        image_shaped_input = tf.reshape(x, [-1, 28, 28, 1])
        tf1.summary.image("input", image_shaped_input, 10)

    def weight_variable(shape):
        return tf1.Variable(tf1.truncated_normal(shape, stddev=0.1))

    def bias_variable(shape):
        return tf1.Variable(tf1.constant(0.1, shape=shape))

    def variable_summaries(var):
        with tf1.name_scope("summaries"):
            mean = tf1.reduce_mean(var)
            tf1.summary.scalar("mean", mean)
            with tf1.name_scope("stddev"):
                stddev = tf1.sqrt(tf1.reduce_mean(tf1.square(var - mean)))
            tf1.summary.scalar("stddev", stddev)
            tf1.summary.scalar("max", tf1.reduce_max(var))
            tf1.summary.scalar("min", tf1.reduce_min(var))
            tf1.summary.histogram("histogram", var)

    def nn_layer(input_tensor, input_dim, output_dim, layer_name, act=tf.nn.relu):
        with tf1.name_scope(layer_name):
            with tf1.name_scope("weights"):
                weights = weight_variable([input_dim, output_dim])
                variable_summaries(weights)
            with tf1.name_scope("biases"):
                biases = bias_variable([output_dim])
                variable_summaries(biases)
            with tf1.name_scope("Wx_plus_b"):
                preactivate = tf1.matmul(input_tensor, weights) + biases
                tf1.summary.histogram("pre_activations", preactivate)
            activations = act(preactivate, name="activation")
            tf1.summary.histogram("activations", activations)
            return activations

    hidden1 = nn_layer(x, 784, 500, "layer1")
    with tf1.name_scope("dropout"):
        keep_prob = tf1.placeholder(tf.float32)
        tf1.summary.scalar("dropout_keep_probability", keep_prob)
        dropped = tf1.nn.dropout(hidden1, keep_prob)
    y = nn_layer(dropped, 500, 10, "layer2", act=tf.identity)
    with tf1.name_scope("cross_entropy"):
        with tf1.name_scope("total"):
            cross_entropy = tf1.losses.sparse_softmax_cross_entropy(labels=y_, logits=y)
    tf1.summary.scalar("cross_entropy", cross_entropy)
    with tf1.name_scope("train"):
        train_step = tf1.train.AdamOptimizer(LEARNING_RATE).minimize(cross_entropy)
    with tf1.name_scope("accuracy"):
        with tf1.name_scope("correct_prediction"):
            correct_prediction = tf.equal(tf.argmax(y, 1), y_)
        with tf1.name_scope("accuracy"):
            accuracy = tf1.reduce_mean(tf.cast(correct_prediction, tf.float32))
    tf1.summary.scalar("accuracy", accuracy)

    merged = tf1.summary.merge_all()
    train_writer = tf1.summary.FileWriter(log_dir + "/train", sess.graph)
    test_writer = tf1.summary.FileWriter(log_dir + "/test")
    tf1.global_variables_initializer().run()

    def feed_dict(is_train):
        if is_train:
            xs, ys = train_set.next_batch(100)
            k = DROPOUT
        else:
            xs, ys = test_set.images, test_set.labels
            k = 1.0
        return {x: xs, y_: ys.astype("int64"), keep_prob: k}

    acc = None
    for i in range(MAX_STEPS):
        if i % 10 == 0:
            summary, acc = sess.run([merged, accuracy], feed_dict=feed_dict(False))
            test_writer.add_summary(summary, i)
        elif i % 100 == 99:
            run_options = tf1.RunOptions(trace_level=tf1.RunOptions.FULL_TRACE)
            run_metadata = tf1.RunMetadata()
            summary, _ = sess.run([merged, train_step], feed_dict=feed_dict(True),
                                  options=run_options, run_metadata=run_metadata)
            train_writer.add_run_metadata(run_metadata, "step%03d" % i)
            train_writer.add_summary(summary, i)
        else:
            summary, _ = sess.run([merged, train_step], feed_dict=feed_dict(True))
            train_writer.add_summary(summary, i)
    train_writer.close()
    test_writer.close()
    sess.close()
    return acc


def main():
    log_dir = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="tf-mnist-summaries-")
    train_set, _, test_set = read_data_sets()
    start = time.perf_counter()
    with tf.Graph().as_default():
        acc = train(train_set, test_set, log_dir)
    seconds = time.perf_counter() - start
    report("summaries-run", seconds, "s")
    report("summaries-accuracy", float(acc), "")
    if len(sys.argv) <= 1:
        shutil.rmtree(log_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
