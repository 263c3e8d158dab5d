"""Banking77 sweep: 5-fold stratified CV accuracy (seed 13). usage: python bank_sweep.py DATASETS_DIR [names...]"""
import sys, time
import numpy as np
from sklearn.pipeline import make_pipeline, make_union
from sklearn.feature_extraction.text import TfidfVectorizer, HashingVectorizer, TfidfTransformer
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression, SGDClassifier
from common import *

root = sys.argv[1]
X, y = load_banking(root)

def feats(norm=False, wmax=2, cmin=2, cmax=5, min_df=1):
    pre = normalise if norm else None
    return make_union(
        TfidfVectorizer(ngram_range=(1, wmax), sublinear_tf=True, lowercase=True, preprocessor=pre, min_df=min_df),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(cmin, cmax), sublinear_tf=True, lowercase=True, preprocessor=pre, min_df=min_df),
    )

def hfeats(nf=2**18, norm=True):
    pre = normalise if norm else None
    return make_union(
        make_pipeline(HashingVectorizer(ngram_range=(1, 2), n_features=nf, alternate_sign=False, norm=None, preprocessor=pre), TfidfTransformer(sublinear_tf=True)),
        make_pipeline(HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=nf, alternate_sign=False, norm=None, preprocessor=pre), TfidfTransformer(sublinear_tf=True)),
    )

CONF = {
    "svc_C0.5": lambda: make_pipeline(feats(), LinearSVC(C=0.5, random_state=SEED)),
    "svc_C1": lambda: make_pipeline(feats(), LinearSVC(C=1.0, random_state=SEED)),
    "svc_C2": lambda: make_pipeline(feats(), LinearSVC(C=2.0, random_state=SEED)),
    "svc_C1_norm": lambda: make_pipeline(feats(norm=True), LinearSVC(C=1.0, random_state=SEED)),
    "svc_C1_w13": lambda: make_pipeline(feats(wmax=3), LinearSVC(C=1.0, random_state=SEED)),
    "svc_C1_c16": lambda: make_pipeline(feats(cmin=1, cmax=6), LinearSVC(C=1.0, random_state=SEED)),
    "lr_C20": lambda: make_pipeline(feats(), LogisticRegression(C=20, max_iter=2000)),
    "lr_C50": lambda: make_pipeline(feats(), LogisticRegression(C=50, max_iter=2000)),
    "sgd_mh": lambda: make_pipeline(feats(), SGDClassifier(loss="modified_huber", alpha=2e-5, max_iter=50, tol=None, random_state=SEED)),
    "sgd_hinge": lambda: make_pipeline(feats(), SGDClassifier(loss="hinge", alpha=2e-5, max_iter=50, tol=None, random_state=SEED)),
    "hash18_svc": lambda: make_pipeline(hfeats(2**18), LinearSVC(C=1.0, random_state=SEED)),
    "hash16_svc": lambda: make_pipeline(hfeats(2**16), LinearSVC(C=1.0, random_state=SEED)),
}
names = sys.argv[2:] or list(CONF)
for n in names:
    t0 = time.time()
    m, s, ft, _ = cv_eval(CONF[n], X, y, acc)
    print(f"{n:14s} acc {m:.4f} ± {s:.4f}  fit/fold {ft:.1f}s  total {time.time()-t0:.0f}s", flush=True)
