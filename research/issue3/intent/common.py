"""Shared helpers for the intent/complaint experiments (seeded, n_jobs=1)."""
import csv, json, os, pickle, re, sys, time
import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import accuracy_score, f1_score

SEED = 13
_URL = re.compile(r"https?://\S+|www\.\S+")
_MENTION = re.compile(r"@\w+")
_NUM = re.compile(r"\d")
_HASH = re.compile(r"#(\w+)")


def normalise(t):
    """lowercase, URLs -> ' xurl ', @mentions -> ' xuser ', digits -> 0, '#tag' -> 'tag' kept plus marker."""
    t = t.lower()
    t = _URL.sub(" xurl ", t)
    t = _MENTION.sub(" xuser ", t)
    t = _NUM.sub("0", t)
    t = t.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return t


def load_banking(root):
    with open(os.path.join(root, "banking77", "train.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], np.array([r["category"] for r in rows])


def load_complaints(root):
    """Returns texts, labels (int). The 'domain' column is NOT used: random_reply/random_tweet are
    always 0, so it would leak the label."""
    with open(os.path.join(root, "complaints-social-media", "complaints-data.csv"), newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return [r[1] for r in rows], np.array([int(r[2]) for r in rows]), np.array([r[3] for r in rows])


def cv_eval(make_model, X, y, metric, n_splits=5, seed=SEED, verbose=False):
    skf = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    scores, fit_t = [], []
    X = np.asarray(X, dtype=object)
    oof = np.empty(len(y), dtype=y.dtype)
    for tr, te in skf.split(X, y):
        m = make_model()
        t0 = time.perf_counter(); m.fit(list(X[tr]), y[tr]); fit_t.append(time.perf_counter() - t0)
        p = m.predict(list(X[te])); oof[te] = p
        scores.append(metric(y[te], p))
        if verbose:
            print(f"   fold {len(scores)}: {scores[-1]:.4f} fit {fit_t[-1]:.1f}s", flush=True)
    return np.mean(scores), np.std(scores), np.mean(fit_t), oof


def acc(y, p):
    return accuracy_score(y, p)


def macro_f1(y, p):
    return f1_score(y, p, average="macro")


def synth_posts(texts, n=20000, seed=SEED):
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(texts), n)
    return [texts[i] for i in idx]


def time_predict(model, texts, method="predict", reps=3):
    model_fn = getattr(model, method)
    model_fn(texts[:100])
    best = 1e9
    for _ in range(reps):
        t0 = time.perf_counter(); model_fn(texts); best = min(best, time.perf_counter() - t0)
    return best / len(texts) * 1e6  # microseconds/post


def pickled_size(model):
    return len(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))


from sklearn.base import BaseEstimator, TransformerMixin


class NBWeight(BaseEstimator, TransformerMixin):
    """Naive-Bayes log-count-ratio feature scaling (Wang & Manning 2012, NBSVM) for binary labels."""
    def __init__(self, alpha=1.0):
        self.alpha = alpha

    def fit(self, X, y):
        y = np.asarray(y)
        Xb = (X > 0).astype(np.float64)
        p = self.alpha + np.asarray(Xb[y == 1].sum(0)).ravel()
        q = self.alpha + np.asarray(Xb[y != 1].sum(0)).ravel()
        self.r_ = np.log((p / p.sum()) / (q / q.sum()))
        return self

    def transform(self, X):
        return X.multiply(self.r_).tocsr()
