#!/usr/bin/env python3
"""Trains Tamp's trained reference models with NumPy and exports them to ONNX.

Random weights cannot show what quantization or pruning does to accuracy, so
the compression tests use two small trained models:

  fashion_mnist_cnn.onnx  a CNN on Fashion-MNIST (60k train / 10k test images)
      input  "input"  float32 [N, 1, 28, 28], pixel / 255
      Conv 1->32 3x3, Relu, MaxPool 2x2, Conv 32->64 3x3, Relu, MaxPool 2x2,
      Flatten (64*5*5), Gemm 1600->128, Relu, Gemm 128->10
      output "logits" float32 [N, 10]
  digits_mlp.onnx  an MLP on scikit-learn's digits (1,437 train / 360 test)
      input  "input"  float32 [N, 64], pixel / 16
      Gemm 64->64, Relu, Gemm 64->32, Relu, Gemm 32->10
      output "logits" float32 [N, 10]

The preprocessing (datasets.py) stays outside the models. Training is plain
NumPy (im2col convolutions as float32 matrix products, Adam, softmax
cross-entropy, mini-batches) with fixed seeds, so a run on one machine is
reproducible. Each exported model is checked with onnxruntime: its test
predictions must be those of the NumPy model. The onnxruntime test accuracies
are written into README.md, where the accuracy tests read them.

  OPENBLAS_NUM_THREADS=1 nice -n 19 .venv/bin/python \\
      test/models/trained/train_reference_models.py [--models cnn mlp]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import datasets  # noqa: E402

OPSET = 17
IR_VERSION = 8
README = HERE / "README.md"

# --------------------------------------------------------------------------
# Layers. Activations are NHWC inside the trainer (channels last makes im2col
# a plain reshape); weights have the ONNX layouts, Conv [O, C, kH, kW] and
# Gemm [out, in] (transB=1), so the export copies them as they are.
# --------------------------------------------------------------------------


def im2col(x: np.ndarray, k: int) -> np.ndarray:
    """[N, H, W, C] -> [N*H'*W', C*k*k] patches of a valid k x k convolution,
    each ordered (c, kh, kw) like a flattened ONNX Conv weight row."""
    patches = np.lib.stride_tricks.sliding_window_view(x, (k, k), axis=(1, 2))
    return patches.reshape(-1, x.shape[3] * k * k)


def col2im(cols: np.ndarray, shape: tuple[int, ...], k: int) -> np.ndarray:
    """The adjoint of im2col: sums the patch gradients back into [N, H, W, C]."""
    n, h, w, c = shape
    oh, ow = h - k + 1, w - k + 1
    cols = cols.reshape(n, oh, ow, c, k, k)
    x = np.zeros(shape, dtype=cols.dtype)
    for i in range(k):
        for j in range(k):
            x[:, i:i + oh, j:j + ow, :] += cols[..., i, j]
    return x


def conv_forward(x, weight, bias):
    n, h, w, _ = x.shape
    out_channels, _, k, _ = weight.shape
    cols = im2col(x, k)
    y = cols @ weight.reshape(out_channels, -1).T + bias
    return y.reshape(n, h - k + 1, w - k + 1, out_channels), cols


def conv_backward(dy, cols, x_shape, weight, need_dx):
    out_channels, _, k, _ = weight.shape
    dy = dy.reshape(-1, out_channels)
    dweight = (dy.T @ cols).reshape(weight.shape)
    dbias = dy.sum(axis=0)
    dx = None
    if need_dx:
        dx = col2im(dy @ weight.reshape(out_channels, -1), x_shape, k)
    return dx, dweight, dbias


def maxpool_forward(x):
    """2x2, stride 2, floor mode (odd trailing rows and columns dropped)."""
    n, h, w, c = x.shape
    cropped = x[:, :h // 2 * 2, :w // 2 * 2, :]
    windows = cropped.reshape(n, h // 2, 2, w // 2, 2, c)
    y = windows.max(axis=(2, 4))
    is_max = windows == y[:, :, None, :, None, :]
    return y, is_max


def maxpool_backward(dy, is_max, x_shape):
    dwindows = is_max * dy[:, :, None, :, None, :]
    n, ph, _, pw, _, c = dwindows.shape
    dx = np.zeros(x_shape, dtype=dy.dtype)
    dx[:, :ph * 2, :pw * 2, :] = dwindows.reshape(n, ph * 2, pw * 2, c)
    return dx


def softmax_cross_entropy(logits, labels):
    """Mean loss and its gradient with respect to the logits."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    probs = exp / exp.sum(axis=1, keepdims=True)
    n = logits.shape[0]
    loss = -np.log(probs[np.arange(n), labels] + 1e-12).mean()
    dlogits = probs
    dlogits[np.arange(n), labels] -= 1
    return float(loss), dlogits / np.float32(n)


def he_normal(rng, shape, fan_in):
    return (rng.standard_normal(shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)


# --------------------------------------------------------------------------
# Models: init(rng) -> params, forward(params, x) -> (logits, cache),
# backward(params, cache, dlogits) -> grads.
# --------------------------------------------------------------------------


class FashionMnistCnn:
    name = "fashion_mnist_cnn"
    conv1, conv2, hidden, classes = 32, 64, 128, 10
    flat = conv2 * 5 * 5  # 28 -conv-> 26 -pool-> 13 -conv-> 11 -pool-> 5

    def init(self, rng):
        return {
            "conv1.weight": he_normal(rng, (self.conv1, 1, 3, 3), 9),
            "conv1.bias": np.zeros(self.conv1, np.float32),
            "conv2.weight": he_normal(rng, (self.conv2, self.conv1, 3, 3),
                                      self.conv1 * 9),
            "conv2.bias": np.zeros(self.conv2, np.float32),
            "fc1.weight": he_normal(rng, (self.hidden, self.flat), self.flat),
            "fc1.bias": np.zeros(self.hidden, np.float32),
            "fc2.weight": he_normal(rng, (self.classes, self.hidden),
                                    self.hidden),
            "fc2.bias": np.zeros(self.classes, np.float32),
        }

    def forward(self, p, x):
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1))  # NCHW -> NHWC
        z1, cols1 = conv_forward(x, p["conv1.weight"], p["conv1.bias"])
        a1 = np.maximum(z1, 0)
        p1, max1 = maxpool_forward(a1)
        z2, cols2 = conv_forward(p1, p["conv2.weight"], p["conv2.bias"])
        a2 = np.maximum(z2, 0)
        p2, max2 = maxpool_forward(a2)
        # ONNX Flatten of the NCHW tensor: (c, h, w) order.
        flat = p2.transpose(0, 3, 1, 2).reshape(len(x), -1)
        h = np.maximum(flat @ p["fc1.weight"].T + p["fc1.bias"], 0)
        logits = h @ p["fc2.weight"].T + p["fc2.bias"]
        cache = (x.shape, cols1, a1, max1, p1.shape, cols2, a2, max2,
                 p2.shape, flat, h)
        return logits, cache

    def backward(self, p, cache, dlogits):
        (x_shape, cols1, a1, max1, p1_shape, cols2, a2, max2, p2_shape, flat,
         h) = cache
        g = {}
        g["fc2.weight"] = dlogits.T @ h
        g["fc2.bias"] = dlogits.sum(axis=0)
        dh = (dlogits @ p["fc2.weight"]) * (h > 0)
        g["fc1.weight"] = dh.T @ flat
        g["fc1.bias"] = dh.sum(axis=0)
        dflat = dh @ p["fc1.weight"]
        n, ph, pw, c = p2_shape
        dp2 = dflat.reshape(n, c, ph, pw).transpose(0, 2, 3, 1)
        da2 = maxpool_backward(dp2, max2, a2.shape) * (a2 > 0)
        dp1, g["conv2.weight"], g["conv2.bias"] = conv_backward(
            da2, cols2, p1_shape, p["conv2.weight"], need_dx=True)
        da1 = maxpool_backward(dp1, max1, a1.shape) * (a1 > 0)
        _, g["conv1.weight"], g["conv1.bias"] = conv_backward(
            da1, cols1, x_shape, p["conv1.weight"], need_dx=False)
        return g

    def export(self, p) -> onnx.ModelProto:
        nodes = [
            helper.make_node("Conv", ["input", "conv1.weight", "conv1.bias"],
                             ["conv1"], name="conv1", kernel_shape=[3, 3]),
            helper.make_node("Relu", ["conv1"], ["relu1"], name="relu1"),
            helper.make_node("MaxPool", ["relu1"], ["pool1"], name="pool1",
                             kernel_shape=[2, 2], strides=[2, 2]),
            helper.make_node("Conv", ["pool1", "conv2.weight", "conv2.bias"],
                             ["conv2"], name="conv2", kernel_shape=[3, 3]),
            helper.make_node("Relu", ["conv2"], ["relu2"], name="relu2"),
            helper.make_node("MaxPool", ["relu2"], ["pool2"], name="pool2",
                             kernel_shape=[2, 2], strides=[2, 2]),
            helper.make_node("Flatten", ["pool2"], ["flat"], name="flatten",
                             axis=1),
            helper.make_node("Gemm", ["flat", "fc1.weight", "fc1.bias"],
                             ["fc1"], name="fc1", transB=1),
            helper.make_node("Relu", ["fc1"], ["relu3"], name="relu3"),
            helper.make_node("Gemm", ["relu3", "fc2.weight", "fc2.bias"],
                             ["logits"], name="fc2", transB=1),
        ]
        return make_model(
            self.name, nodes, p, ["N", 1, 28, 28],
            "Fashion-MNIST classifier (classes 0..9: T-shirt/top, Trouser, "
            "Pullover, Dress, Coat, Sandal, Shirt, Sneaker, Bag, Ankle boot). "
            "Input: grey pixels / 255, [N, 1, 28, 28]. Output: logits.")

    def data(self):
        return datasets.fashion_mnist_train(), datasets.fashion_mnist_test()


class DigitsMlp:
    name = "digits_mlp"
    sizes = (64, 64, 32, 10)

    def init(self, rng):
        p = {}
        for i, (fan_in, fan_out) in enumerate(zip(self.sizes, self.sizes[1:])):
            p[f"fc{i + 1}.weight"] = he_normal(rng, (fan_out, fan_in), fan_in)
            p[f"fc{i + 1}.bias"] = np.zeros(fan_out, np.float32)
        return p

    def layers(self):
        return range(1, len(self.sizes))

    def forward(self, p, x):
        activations = [x]
        for i in self.layers():
            y = activations[-1] @ p[f"fc{i}.weight"].T + p[f"fc{i}.bias"]
            activations.append(y if i == len(self.sizes) - 1
                               else np.maximum(y, 0))
        return activations[-1], activations

    def backward(self, p, activations, dlogits):
        g = {}
        dy = dlogits
        for i in reversed(self.layers()):
            g[f"fc{i}.weight"] = dy.T @ activations[i - 1]
            g[f"fc{i}.bias"] = dy.sum(axis=0)
            if i > 1:
                dy = (dy @ p[f"fc{i}.weight"]) * (activations[i - 1] > 0)
        return g

    def export(self, p) -> onnx.ModelProto:
        nodes = []
        value = "input"
        for i in self.layers():
            last = i == len(self.sizes) - 1
            out = "logits" if last else f"fc{i}"
            nodes.append(helper.make_node(
                "Gemm", [value, f"fc{i}.weight", f"fc{i}.bias"], [out],
                name=f"fc{i}", transB=1))
            value = out
            if not last:
                nodes.append(helper.make_node("Relu", [out], [f"relu{i}"],
                                              name=f"relu{i}"))
                value = f"relu{i}"
        return make_model(
            self.name, nodes, p, ["N", 64],
            "scikit-learn digits classifier (digits 0..9). Input: the 8x8 "
            "image row by row, pixels (0..16) / 16, [N, 64]. Output: logits.")

    def data(self):
        return datasets.digits_train(), datasets.digits_test()


def make_model(name, nodes, params, input_shape, doc) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes, name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                       input_shape)],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                       ["N", 10])],
        initializer=[numpy_helper.from_array(value, key)
                     for key, value in params.items()])
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="tamp test/models/trained/train_reference_models.py",
        doc_string=doc)
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


# --------------------------------------------------------------------------
# Training.
# --------------------------------------------------------------------------


class Adam:
    def __init__(self, params, beta1=0.9, beta2=0.999, eps=1e-8):
        self.beta1, self.beta2, self.eps = beta1, beta2, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.steps = 0

    def step(self, params, grads, lr):
        self.steps += 1
        correction1 = 1 - self.beta1 ** self.steps
        correction2 = 1 - self.beta2 ** self.steps
        for k, g in grads.items():
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * g * g
            update = (lr * self.m[k] / correction1
                      / (np.sqrt(self.v[k] / correction2) + self.eps))
            params[k] -= update.astype(np.float32)


def predict(model, params, inputs, batch=1000):
    return np.concatenate([
        model.forward(params, inputs[i:i + batch])[0].argmax(axis=1)
        for i in range(0, len(inputs), batch)])


def train(model, epochs, batch_size, lr, seed):
    rng = np.random.default_rng(seed)
    (train_x, train_y), (test_x, test_y) = model.data()
    params = model.init(rng)
    optimizer = Adam(params)
    steps_per_epoch = -(-len(train_x) // batch_size)
    total_steps = epochs * steps_per_epoch
    for epoch in range(epochs):
        start = time.perf_counter()
        order = rng.permutation(len(train_x))
        losses = []
        for b in range(steps_per_epoch):
            step = epoch * steps_per_epoch + b
            # Cosine decay of the learning rate to zero over the run.
            step_lr = lr * 0.5 * (1 + np.cos(np.pi * step / total_steps))
            index = order[b * batch_size:(b + 1) * batch_size]
            logits, cache = model.forward(params, train_x[index])
            loss, dlogits = softmax_cross_entropy(logits, train_y[index])
            optimizer.step(params, model.backward(params, cache, dlogits),
                           step_lr)
            losses.append(loss)
        if (epoch + 1) % max(1, epochs // 10) and epoch + 1 != epochs:
            continue
        accuracy = (predict(model, params, test_x) == test_y).mean() * 100
        print(f"  {model.name} epoch {epoch + 1}/{epochs}: loss "
              f"{np.mean(losses):.4f}, test accuracy {accuracy:.2f} % "
              f"({time.perf_counter() - start:.0f} s)", flush=True)
    return params, test_x, test_y


def export_and_verify(model, params, test_x, test_y) -> float:
    """Saves the ONNX model; returns its onnxruntime test accuracy, after
    checking that its predictions are the NumPy model's."""
    onnx_model = model.export(params)
    path = HERE / f"{model.name}.onnx"
    onnx.save(onnx_model, str(path))
    session = ort.InferenceSession(str(path),
                                   providers=["CPUExecutionProvider"])
    ort_logits = session.run(["logits"], {"input": test_x})[0]
    numpy_logits = np.concatenate([
        model.forward(params, test_x[i:i + 1000])[0]
        for i in range(0, len(test_x), 1000)])
    ort_pred = ort_logits.argmax(axis=1)
    disagree = int((ort_pred != numpy_logits.argmax(axis=1)).sum())
    diff = float(np.abs(ort_logits - numpy_logits).max())
    accuracy = float((ort_pred == test_y).mean() * 100)
    print(f"  {path.name}: {path.stat().st_size / 1024:.0f} KiB, onnxruntime "
          f"test accuracy {accuracy:.2f} %, {disagree} predictions differ "
          f"from NumPy's, max |logit difference| {diff:.1e}")
    if disagree:
        raise SystemExit(f"{path.name}: onnxruntime disagrees with NumPy")
    return accuracy


def record_accuracy(model_file: str, accuracy: float, test_size: int):
    """Rewrites the model's row of README.md's accuracy table."""
    text = README.read_text()
    row = f"| {model_file} | {accuracy:.2f} % | {test_size} |"
    pattern = re.compile(rf"^\| {re.escape(model_file)} \|.*$", re.MULTILINE)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no accuracy row for {model_file}")
    README.write_text(pattern.sub(row, text))


MODELS = {
    # name: (model, epochs, batch size, learning rate, seed)
    "cnn": (FashionMnistCnn(), 5, 128, 2e-3, 20251123),
    "mlp": (DigitsMlp(), 150, 32, 2e-3, 20251123),
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", choices=sorted(MODELS),
                        default=sorted(MODELS))
    args = parser.parse_args(argv)
    for key in args.models:
        model, epochs, batch_size, lr, seed = MODELS[key]
        print(f"training {model.name}: {epochs} epochs, batch {batch_size}, "
              f"Adam lr {lr} (cosine decay), seed {seed}", flush=True)
        params, test_x, test_y = train(model, epochs, batch_size, lr, seed)
        accuracy = export_and_verify(model, params, test_x, test_y)
        record_accuracy(f"{model.name}.onnx", accuracy, len(test_y))
    return 0


if __name__ == "__main__":
    sys.exit(main())
