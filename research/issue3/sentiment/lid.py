"""Goal 3: language identification on XLM-T validation texts (8 langs). Own hashed char-ngram model,
py3langid alone, and hybrid. Saves model to lid_model.npz. Usage: python lid.py DATASETS_DIR"""
import os
import sys, time, random
import numpy as np, scipy.sparse as sp
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
from fastfeat import featurize
from sklearn.linear_model import SGDClassifier
from sklearn.svm import LinearSVC
from sklearn.metrics import accuracy_score
import py3langid as langid
root = sys.argv[1]
OURS = ['ar', 'en', 'fr', 'de', 'hi', 'it', 'pt', 'es']
val = {l: load_xlmt(root, d, 'val')[0] for d, l in XLMT_LANGS.items()}
bad = set(key(t) for l in val for t in val[l])
data = {l: list(load_xlmt(root, d, 'train')[0]) for d, l in XLMT_LANGS.items()}
data['en'] += load_semeval(root)[0]
for l, (x, _) in load_eu(root).items():
    data.setdefault(l, []); data[l] += x
oth = load_other_lid_texts(root)
data['en'] += oth.pop('en_extra')
for l, x in oth.items():
    data.setdefault(l, []); data[l] += x
rng = random.Random(0)
CAP = 6000
T, Y = [], []
for l in sorted(data):
    xs = [t for t in data[l] if key(t) not in bad]
    rng.shuffle(xs); xs = xs[:CAP]
    T += xs; Y += [l] * len(xs)
    print(l, len(xs), end='; ')
print()
classes = sorted(data)
VT = [t for l in OURS for t in val[l]]; VY = np.array([l for l in OURS for t in val[l]])

def report(name, pred):
    pred = np.asarray(pred)
    per = {l: (pred[VY == l] == l).mean() for l in OURS}
    print('%-36s acc %.4f | %s' % (name, (pred == VY).mean(), ' '.join('%s %.3f' % (l, v) for l, v in per.items())), flush=True)

t = time.time(); pl = [langid.classify(x)[0] for x in VT]
print('py3langid %.0f us/post' % ((time.time() - t) / len(VT) * 1e6)); report('py3langid alone', pl)

def shrink(F, bits):
    return sp.csr_matrix((F.data, F.indices >> (20 - bits), F.indptr), shape=(F.shape[0], 2 ** bits))

Ftr = featurize(T); Fv = featurize(VT)
y = np.array(Y)
for bits in [16, 18]:
    for name, mk in [('svc C=0.5', lambda: LinearSVC(C=0.5, random_state=0)),
                     ('sgd hinge a=1e-6', lambda: SGDClassifier(alpha=1e-6, max_iter=15, tol=None, random_state=0))]:
        t = time.time(); clf = mk().fit(shrink(Ftr, bits), y); tt = time.time() - t
        p = clf.predict(shrink(Fv, bits))
        report('own %s bits=%d (train %.0fs)' % (name, bits, tt), p)
        # hybrid: own model, but defer to py3langid when it names a language we have no training data for
        ph = [b if (b not in classes and b not in ('en',)) else a for a, b in zip(p, pl)]
        report('  hybrid', ph)
        # restricted to 8 product langs argmax (upper bound if you know it is one of ours)
        S = clf.decision_function(shrink(Fv, bits)); ci = [list(clf.classes_).index(l) for l in OURS]
        report('  own restricted to 8', np.array(OURS)[S[:, ci].argmax(1)])
np.savez_compressed(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lid_model.npz'), coef=clf.coef_.astype(np.float16), intercept=clf.intercept_, classes=clf.classes_)
