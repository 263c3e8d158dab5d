"""Final intent (Banking77) + complaint models on a shared, numpy-vectorised hashed char n-gram featuriser.
usage: python final.py DATASETS_DIR [--grid]
Reports 5-fold stratified CV (seed 13), train time, predict_proba us/post on 20,000 posts, pickled sizes.
Writes intent_head.pkl, complaint_head.pkl, featuriser.pkl next to this script."""
import os, sys, time, pickle
import numpy as np
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedKFold
from common import load_banking, load_complaints, synth_posts, acc, macro_f1, SEED
from fastfeat import FastCharHash

HERE = os.path.dirname(os.path.abspath(__file__))


class Head:
    """Hashed columns -> compact vocabulary (df >= min_df) -> idf -> l2 -> LinearSVC + sigmoid calibration."""
    def __init__(self, C=1.0, min_df=2, class_weight=None, calibrate=True):
        self.C, self.min_df, self.class_weight, self.calibrate = C, min_df, class_weight, calibrate

    def _remap(self, X):
        X = X.copy(); X.indices = self.lut_[X.indices]
        X._shape = (X.shape[0], self.n_keep_ + 1)
        X.data = X.data * self.idf_[X.indices]
        return normalize(X, copy=False)

    def fit(self, X, y):
        # document frequency: count each (row, col) once
        Xb = X.copy(); Xb.sum_duplicates(); df = np.bincount(Xb.indices, minlength=X.shape[1])
        keep = np.flatnonzero(df >= self.min_df)
        self.n_keep_ = len(keep)
        self.lut_ = np.full(X.shape[1], self.n_keep_, dtype=np.int32); self.lut_[keep] = np.arange(len(keep))
        n = X.shape[0]
        self.idf_ = np.zeros(self.n_keep_ + 1, dtype=np.float32)
        self.idf_[:-1] = np.log((1 + n) / (1 + df[keep])) + 1
        Z = self._remap(X)
        svc = LinearSVC(C=self.C, class_weight=self.class_weight, random_state=SEED)
        if self.calibrate:
            self.clf_ = CalibratedClassifierCV(svc, method="sigmoid", cv=3, ensemble=False).fit(Z, y)
            est = self.clf_.calibrated_classifiers_[0].estimator
        else:
            self.clf_ = svc.fit(Z, y); est = svc
        est.coef_ = est.coef_.astype(np.float32); est.intercept_ = est.intercept_.astype(np.float32)
        return self

    def predict(self, X):
        return self.clf_.predict(self._remap(X))

    def predict_proba(self, X):
        return self.clf_.predict_proba(self._remap(X))


def cv(feat_X, y, make, metric, k=5):
    skf = StratifiedKFold(n_splits=k, shuffle=True, random_state=SEED)
    sc, ft = [], []
    for tr, te in skf.split(np.zeros(len(y)), y):
        t0 = time.perf_counter(); h = make().fit(feat_X[tr], y[tr]); ft.append(time.perf_counter() - t0)
        sc.append(metric(y[te], h.predict(feat_X[te])))
    return np.mean(sc), np.std(sc), np.mean(ft)


def main():
    root = sys.argv[1]; grid = "--grid" in sys.argv
    Xb, yb = load_banking(root)
    Xc, yc, dom = load_complaints(root)
    FEATS = {"c2-5": dict(nmin=2, nmax=5, sublinear=False), "c1-5": dict(nmin=1, nmax=5, sublinear=False),
             "c2-5_sub": dict(nmin=2, nmax=5, sublinear=True), "c2-6": dict(nmin=2, nmax=6, sublinear=False)}
    best_feat = "c2-5"
    configs = [(best_feat, 1.0, 2), (best_feat, 0.3, 2)] if not grid else \
              [(f, C, md) for f in FEATS for C in (0.3, 1.0) for md in (1, 2)]
    res = {}
    for fname, C, md in configs:
        fb = FastCharHash(**FEATS[fname]).transform(Xb); fc = FastCharHash(**FEATS[fname]).transform(Xc)
        mb = cv(fb, yb, lambda: Head(C=C, min_df=md), acc)
        mc = cv(fc, yc, lambda: Head(C=C * 0.3, min_df=md, class_weight="balanced"), macro_f1)
        res[(fname, C, md)] = (mb, mc)
        print(f"feat {fname:9s} C_int {C:<4} C_comp {C*0.3:<5.2f} min_df {md}: intent acc {mb[0]:.4f} ± {mb[1]:.4f} "
              f"(fit/fold {mb[2]:.1f}s) | complaint macroF1 {mc[0]:.4f} ± {mc[1]:.4f} (fit/fold {mc[2]:.1f}s)", flush=True)
    # final models
    fname, C, md = max(res, key=lambda k: res[k][0][0] + res[k][1][0])
    feat = FastCharHash(**FEATS[fname])
    t0 = time.perf_counter(); intent = Head(C=C, min_df=md).fit(feat.transform(Xb), yb); t_int = time.perf_counter() - t0
    t0 = time.perf_counter(); comp = Head(C=C * 0.3, min_df=md, class_weight="balanced").fit(feat.transform(Xc), yc); t_comp = time.perf_counter() - t0
    print(f"\nFINAL feat={fname} C_int={C} C_comp={C*0.3:.2f} min_df={md}; full-data train time intent {t_int:.1f}s, complaint {t_comp:.1f}s")
    T = synth_posts(Xb + Xc, 20000)
    def run():
        F = feat.transform(T); return intent.predict_proba(F), comp.predict_proba(F)
    run()
    tims = {}
    for name, fn in [("featurise", lambda: feat.transform(T)), ("featurise+intent+complaint proba", run)]:
        best = 1e9
        for _ in range(3):
            t0 = time.perf_counter(); fn(); best = min(best, time.perf_counter() - t0)
        tims[name] = best / len(T) * 1e6
        print(f"  {name:34s} {tims[name]:6.1f} us/post ({len(T)/best:,.0f} posts/s, single process)")
    for name, obj in [("featuriser", feat), ("intent_head", intent), ("complaint_head", comp)]:
        p = os.path.join(HERE, name + ".pkl")
        with open(p, "wb") as f: pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
        print(f"  {name}.pkl {os.path.getsize(p)/1e6:.2f} MB")
    print(f"  intent kept columns {intent.n_keep_}, complaint kept columns {comp.n_keep_}")


if __name__ == "__main__":
    main()
