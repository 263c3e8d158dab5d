"""Complaint sweep: 5-fold stratified CV macro-F1 (seed 13). usage: python comp_sweep.py DATASETS_DIR [names...]"""
import sys, time, re
import numpy as np
from scipy import sparse
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import FunctionTransformer
from sklearn.feature_extraction.text import TfidfVectorizer, HashingVectorizer, TfidfTransformer
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.calibration import CalibratedClassifierCV
from common import *

root = sys.argv[1]
X, y, dom = load_complaints(root)

NEG = set("""not no never don't dont didn't didnt can't cant won't wont isn't isnt wasn't doesn't doesnt haven't still
again worst terrible awful horrible bad poor disappointed disappointing useless broken fail failed failing fails
problem problems issue issues wrong error refund delay delayed late waiting wait cancelled canceled rude unacceptable
ridiculous joke shocking annoyed angry frustrated frustrating sucks nobody hours days weeks why""".split())
TOK = re.compile(r"[a-z']+")

def hand(texts):
    out = []
    for t in texts:
        tl = t.lower(); toks = TOK.findall(tl); n = max(len(toks), 1)
        neg = sum(w in NEG for w in toks)
        out.append([neg / n, min(neg, 5) / 5, t.count("?") > 0, t.count("!") > 0,
                    t.startswith("@"), ("http" in tl), min(len(toks), 40) / 40,
                    sum(c.isupper() for c in t) / max(len(t), 1)])
    return sparse.csr_matrix(np.array(out, dtype=np.float64))

def feats(norm=True, wmax=2, cmin=2, cmax=5, handf=False, min_df=1):
    pre = normalise if norm else None
    parts = [TfidfVectorizer(ngram_range=(1, wmax), sublinear_tf=True, preprocessor=pre, min_df=min_df),
             TfidfVectorizer(analyzer="char_wb", ngram_range=(cmin, cmax), sublinear_tf=True, preprocessor=pre, min_df=min_df)]
    if handf:
        parts.append(FunctionTransformer(hand, accept_sparse=True))
    return make_union(*parts)

def hfeats(nf=2**18):
    return make_union(
        make_pipeline(HashingVectorizer(ngram_range=(1, 2), n_features=nf, alternate_sign=False, norm=None, preprocessor=normalise), TfidfTransformer(sublinear_tf=True)),
        make_pipeline(HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), n_features=nf, alternate_sign=False, norm=None, preprocessor=normalise), TfidfTransformer(sublinear_tf=True)),
    )

CW = "balanced"
CONF = {
    "svc_C0.1": lambda: make_pipeline(feats(), LinearSVC(C=0.1, class_weight=CW, random_state=SEED)),
    "svc_C0.3": lambda: make_pipeline(feats(), LinearSVC(C=0.3, class_weight=CW, random_state=SEED)),
    "svc_C1": lambda: make_pipeline(feats(), LinearSVC(C=1.0, class_weight=CW, random_state=SEED)),
    "svc_C0.3_raw": lambda: make_pipeline(feats(norm=False), LinearSVC(C=0.3, class_weight=CW, random_state=SEED)),
    "lr_C3": lambda: make_pipeline(feats(), LogisticRegression(C=3, class_weight=CW, max_iter=2000)),
    "lr_C10": lambda: make_pipeline(feats(), LogisticRegression(C=10, class_weight=CW, max_iter=2000)),
    "lr_C30": lambda: make_pipeline(feats(), LogisticRegression(C=30, class_weight=CW, max_iter=2000)),
    "sgd_mh": lambda: make_pipeline(feats(), SGDClassifier(loss="modified_huber", alpha=1e-4, class_weight=CW, max_iter=50, tol=None, random_state=SEED)),
    "svc_C0.3_hand": lambda: make_pipeline(feats(handf=True), LinearSVC(C=0.3, class_weight=CW, random_state=SEED)),
    "lr_C10_hand": lambda: make_pipeline(feats(handf=True), LogisticRegression(C=10, class_weight=CW, max_iter=2000)),
    "svc_C0.3_w13": lambda: make_pipeline(feats(wmax=3), LinearSVC(C=0.3, class_weight=CW, random_state=SEED)),
    "svc_C0.3_c16": lambda: make_pipeline(feats(cmin=1, cmax=6), LinearSVC(C=0.3, class_weight=CW, random_state=SEED)),
    "hash18_svc": lambda: make_pipeline(hfeats(2**18), LinearSVC(C=0.3, class_weight=CW, random_state=SEED)),
    "hash16_svc": lambda: make_pipeline(hfeats(2**16), LinearSVC(C=0.3, class_weight=CW, random_state=SEED)),
    "nbsvc_C0.1": lambda: make_pipeline(feats(), NBWeight(), LinearSVC(C=0.1, class_weight=CW, random_state=SEED)),
    "nbsvc_C0.03": lambda: make_pipeline(feats(), NBWeight(), LinearSVC(C=0.03, class_weight=CW, random_state=SEED)),
    "nblr_C3": lambda: make_pipeline(feats(), NBWeight(), LogisticRegression(C=3, class_weight=CW, max_iter=3000)),
    "nbsvc_C0.1_hand": lambda: make_pipeline(feats(handf=True), NBWeight(), LinearSVC(C=0.1, class_weight=CW, random_state=SEED)),
    "svc_C0.3_hand_raw": lambda: make_pipeline(feats(norm=False, handf=True), LinearSVC(C=0.3, class_weight=CW, random_state=SEED)),
}
names = sys.argv[2:] or list(CONF)
for n in names:
    t0 = time.time()
    m, s, ft, oof = cv_eval(CONF[n], X, y, macro_f1)
    # F1 on the product-relevant subset (brand-directed tweets, excl. random_tweet/random_reply)
    sel = ~np.isin(dom, ["random_tweet", "random_reply"])
    f_sub = macro_f1(y[sel], oof[sel])
    print(f"{n:16s} macroF1 {m:.4f} ± {s:.4f}  (oof macroF1 on brand-domain tweets {f_sub:.3f})  fit/fold {ft:.1f}s  total {time.time()-t0:.0f}s", flush=True)
