"""Goal 4: end-to-end predict time (normalise + shared features + sentiment + LID) on 20,000 texts,
single process, and model sizes. Uses random weights of the real shapes (timing does not depend on values).
Usage: python bench.py DATASETS_DIR [lid_bits]"""
import os
import sys, time
import numpy as np, scipy.sparse as sp
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import *
from fastfeat import featurize, norm_batch
root = sys.argv[1]; lb = int(sys.argv[2]) if len(sys.argv) > 2 else 16
X = load_semeval(root)[0][:10000] + sum((load_xlmt(root, d, 'train')[0] for d in XLMT_LANGS), [])
X = X[:20000]; n = len(X)
rng = np.random.default_rng(0)
Ws = rng.standard_normal((2 ** 20, 3)).astype(np.float32)      # sentiment (multilingual, 3 classes)
Wl = rng.standard_normal((2 ** lb, 25)).astype(np.float32)      # LID, 25 languages
for rep in range(3):
    t0 = time.perf_counter(); s = norm_batch(X)
    t1 = time.perf_counter(); F = featurize(None, s=s)
    t2 = time.perf_counter(); ps = (F @ Ws).argmax(1)
    t3 = time.perf_counter()
    Fl = sp.csr_matrix((F.data, F.indices >> (20 - lb), F.indptr), shape=(n, 2 ** lb)); pl = (Fl @ Wl).argmax(1)
    t4 = time.perf_counter()
    print('us/post: norm %.1f feat %.1f sent %.1f lid %.1f TOTAL %.1f  (nnz/doc %.0f)' % tuple(
        [(b - a) / n * 1e6 for a, b in [(t0, t1), (t1, t2), (t2, t3), (t3, t4), (t0, t4)]] + [F.nnz / n]), flush=True)
print('sizes MB (float32 / float16): sentiment %.1f/%.1f  LID %.1f/%.1f' % (Ws.nbytes / 1e6, Ws.nbytes / 2e6, Wl.nbytes / 1e6, Wl.nbytes / 2e6))
