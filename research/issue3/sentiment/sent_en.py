"""Goal 1: English sentiment, eval on TweetEval sentiment validation (macro recall).
Usage: python sent_en.py DATASETS_DIR"""
import os
import sys, time
import numpy as np
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
from fastfeat import featurize
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import recall_score, f1_score
root = sys.argv[1]
tv, ty = load_tweeteval_val(root)
bad = set(key(t) for t in tv)
sx, sy = load_semeval(root)
ex, ey = load_xlmt(root, 'english', 'train')
Xtr, ytr, seen = [], [], set()
for t, y in list(zip(sx, sy)) + list(zip(ex, ey)):
    k = key(t)
    if k in bad or k in seen:
        continue
    seen.add(k); Xtr.append(t); ytr.append(y)
print('train after leakage filter + dedup', len(Xtr), np.bincount(ytr))
ytr = np.array(ytr); ty = np.array(ty)
for cn in [(1, 4)]:
    t = time.time(); Ftr = featurize(Xtr, char_n=cn); Fte = featurize(tv, char_n=cn)
    print(cn, 'feat time', round(time.time() - t, 1))
    for name, mk in [('svc C=0.1 bal', lambda: LinearSVC(C=0.1, class_weight='balanced', random_state=0)),
                     ('svc C=0.3 bal', lambda: LinearSVC(C=0.3, class_weight='balanced', random_state=0)),
                     ('lr C=3 bal', lambda: LogisticRegression(C=3, class_weight='balanced', max_iter=300)),
                     ]:
        t = time.time(); m = mk().fit(Ftr, ytr); tt = time.time() - t
        p = m.predict(Fte)
        print(cn, name, 'macroR %.4f macroF1 %.4f train %.1fs' % (recall_score(ty, p, average='macro'), f1_score(ty, p, average='macro'), tt), flush=True)
