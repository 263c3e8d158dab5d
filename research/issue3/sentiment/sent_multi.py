"""Goal 2: multilingual sentiment on XLM-T validation (macro-F1 per language, mean over 8).
Usage: python sent_multi.py DATASETS_DIR"""
import os
import sys, time
import numpy as np, scipy.sparse as sp
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
from fastfeat import featurize
from sklearn.svm import LinearSVC
from sklearn.metrics import f1_score
root = sys.argv[1]
langs = list(XLMT_LANGS.items())
val = {l: load_xlmt(root, d, 'val') for d, l in langs}
bad = set(key(t) for l in val for t in val[l][0])
tr = {l: load_xlmt(root, d, 'train') for d, l in langs}
sx, sy = load_semeval(root)
sem = [(t, y) for t, y in zip(sx, sy) if key(t) not in bad]
print('semeval kept', len(sem), 'of', len(sx))
eu = load_eu(root)
LID = {l: i for i, l in enumerate(['ar', 'en', 'fr', 'de', 'hi', 'it', 'pt', 'es'] + sorted(eu))}

def lang_conj(X, lang_ids, bits=20):
    """append language-specific copies of every feature (hash offset per language)"""
    X = X.tocsr()
    lid = np.repeat(np.asarray(lang_ids), np.diff(X.indptr))
    Xl = sp.csr_matrix((X.data, (X.indices + (lid + 1) * 7919 * 131) % (2 ** bits), X.indptr), shape=X.shape)
    return sp.hstack([X, Xl]).tocsr()

def run(name, texts, labels, lids, C=0.3, conj=False, per_lang=False):
    t0 = time.time()
    F = featurize(texts); y = np.array(labels)
    res = {}
    if per_lang:
        for l in val:
            m = np.array(lids) == LID[l]
            clf = LinearSVC(C=C, class_weight='balanced', random_state=0).fit(F[m], y[m])
            p = clf.predict(featurize(val[l][0]))
            res[l] = f1_score(val[l][1], p, average='macro')
    else:
        if conj:
            F = lang_conj(F, lids)
        clf = LinearSVC(C=C, class_weight='balanced', random_state=0).fit(F, y)
        for l in val:
            Fv = featurize(val[l][0])
            if conj:
                Fv = lang_conj(Fv, [LID[l]] * Fv.shape[0])
            p = clf.predict(Fv)
            res[l] = f1_score(val[l][1], p, average='macro')
    print('%-40s mean %.4f | %s | %.0fs' % (name, np.mean(list(res.values())),
          ' '.join('%s %.3f' % (l, v) for l, v in res.items()), time.time() - t0), flush=True)

T, Y, Lg = [], [], []
for l in tr:
    T += tr[l][0]; Y += tr[l][1]; Lg += [LID[l]] * len(tr[l][0])
run('per-language xlmt-only C=0.3', T, Y, Lg, per_lang=True)
run('multi xlmt-only C=0.3', T, Y, Lg)
run('multi xlmt-only conj C=0.3', T, Y, Lg, conj=True)
T2, Y2, L2 = T + [t for t, _ in sem], Y + [y for _, y in sem], Lg + [LID['en']] * len(sem)
run('multi xlmt+semeval C=0.3', T2, Y2, L2)
run('multi xlmt+semeval conj C=0.3', T2, Y2, L2, conj=True)
T3, Y3, L3 = list(T2), list(Y2), list(L2)
for l, (x, y) in eu.items():
    T3 += x; Y3 += y; L3 += [LID[l]] * len(x)
run('multi xlmt+semeval+eu conj C=0.3', T3, Y3, L3, conj=True)
