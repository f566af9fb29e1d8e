"""The same XOR run in PyTorch on one thread: 2-4-1 sigmoid from numpy's seed-42 weights, full
batch, 10 000 steps of SGD. The loss is half the mean squared error, whose gradient is the one the
documents' code uses, so lr 1.0 matches their run step for step."""
from common import best_of, report, skip

try:
    import numpy as np
    import torch
except ImportError:
    skip("PyTorch is not installed")

torch.set_num_threads(1)


def run():
    np.random.seed(42)
    w1 = torch.tensor(np.random.randn(2, 4) * 0.5, requires_grad=True)
    w2 = torch.tensor(np.random.randn(4, 1) * 0.5, requires_grad=True)
    b1 = torch.zeros(1, 4, dtype=torch.float64, requires_grad=True)
    b2 = torch.zeros(1, 1, dtype=torch.float64, requires_grad=True)
    x = torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float64)
    y = torch.tensor([[0.0], [1], [1], [0]], dtype=torch.float64)
    opt = torch.optim.SGD([w1, b1, w2, b2], lr=1.0)
    for _ in range(10000):
        opt.zero_grad()
        out = torch.sigmoid(torch.sigmoid(x @ w1 + b1) @ w2 + b2)
        loss = 0.5 * ((out - y) ** 2).mean()
        loss.backward()
        opt.step()
    return 2 * float(loss)


seconds, loss = best_of(3, run)
report(seconds=seconds, final_loss=loss, version=torch.__version__)
