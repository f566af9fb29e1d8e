"""PyTorch on one thread, on the benchmark's digits split, with the lab's network and training:
standardized inputs, 64-32-10 (ReLU, then ten sigmoids with binary cross-entropy on one-hot
targets), Adam (lr 0.01), batches of 32 reshuffled every epoch, 15 epochs, float64 like the lab."""
import sys

from common import best_of, load_split, report, skip

try:
    import torch
except ImportError:
    skip("PyTorch is not installed")

torch.set_num_threads(1)
x_train, y_train, x_test, y_test = load_split(sys.argv[1])


def run():
    torch.manual_seed(7)
    mean, std = x_train.mean(0), x_train.std(0)
    std[std == 0] = 1
    xt = torch.tensor((x_train - mean) / std)
    yt = torch.nn.functional.one_hot(torch.tensor(y_train), 10).double()
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 10)).double()
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = torch.nn.BCEWithLogitsLoss(reduction="sum")
    n = len(xt)
    for _ in range(15):
        for batch in torch.randperm(n).split(32):
            opt.zero_grad()
            loss = loss_fn(model(xt[batch]), yt[batch]) / len(batch)
            loss.backward()
            opt.step()
    with torch.no_grad():
        predicted = model(torch.tensor((x_test - mean) / std)).argmax(1).numpy()
    return float((predicted == y_test).mean())


seconds, accuracy = best_of(3, run)
report(seconds=seconds, accuracy=accuracy, version=torch.__version__)
