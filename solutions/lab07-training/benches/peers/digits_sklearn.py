"""scikit-learn's MLPClassifier on the benchmark's digits split, with the lab's hyper-parameters
as far as it has them: 32 ReLU units, Adam (lr 0.01), batches of 32, 15 epochs, no L2 penalty, no
early stopping. Its output layer is a softmax, the lab's ten sigmoids."""
import sys
import warnings

from common import best_of, load_split, report, skip

try:
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler
except ImportError:
    skip("scikit-learn is not installed")

x_train, y_train, x_test, y_test = load_split(sys.argv[1])


def run():
    scaler = StandardScaler().fit(x_train)
    mlp = MLPClassifier(hidden_layer_sizes=(32,), activation="relu", solver="adam", alpha=0.0,
                        learning_rate_init=0.01, batch_size=32, max_iter=15, shuffle=True,
                        tol=0.0, n_iter_no_change=1000, random_state=7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        mlp.fit(scaler.transform(x_train), y_train)
    return float((mlp.predict(scaler.transform(x_test)) == y_test).mean())


seconds, accuracy = best_of(3, run)
report(seconds=seconds, accuracy=accuracy, version=sklearn.__version__)
