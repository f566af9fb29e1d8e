"""The lecture documents' numpy XOR network (004, "Building a Neural Network from Scratch"), as
printed there: 2-4-1 sigmoid, lr 1.0 on a gradient without the factor 2, 10 000 full-batch epochs."""
from common import best_of, report, skip

try:
    import numpy as np
except ImportError:
    skip("numpy is not installed")


def run():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    y = np.array([[0], [1], [1], [0]])
    sigmoid = lambda z: 1 / (1 + np.exp(-z))
    sigmoid_derivative = lambda a: a * (1 - a)
    np.random.seed(42)
    W1 = np.random.randn(2, 4) * 0.5
    b1 = np.zeros((1, 4))
    W2 = np.random.randn(4, 1) * 0.5
    b2 = np.zeros((1, 1))
    learning_rate = 1.0
    for epoch in range(10000):
        z1 = X @ W1 + b1
        a1 = sigmoid(z1)
        z2 = a1 @ W2 + b2
        a2 = sigmoid(z2)
        loss = np.mean((y - a2) ** 2)
        dz2 = (a2 - y) * sigmoid_derivative(a2)
        dW2 = a1.T @ dz2 / 4
        db2 = np.sum(dz2, axis=0, keepdims=True) / 4
        da1 = dz2 @ W2.T
        dz1 = da1 * sigmoid_derivative(a1)
        dW1 = X.T @ dz1 / 4
        db1 = np.sum(dz1, axis=0, keepdims=True) / 4
        W2 -= learning_rate * dW2
        b2 -= learning_rate * db2
        W1 -= learning_rate * dW1
        b1 -= learning_rate * db1
    return float(loss)


seconds, loss = best_of(5, run)
report(seconds=seconds, final_loss=loss, version=np.__version__)
