"""Multilingual sentiment on XLM-T val (mean macro-F1 over 8 languages). usage: python sent_multi2.py DATASETS N_JOBS [quick]
Every training row whose common.key matches any XLM-T val tweet (any language) is dropped; dedup by key."""
import sys, time, json, os
from lib import *
from common import decode
from joblib import Parallel, delayed
root, NJ = sys.argv[1], int(sys.argv[2]); QUICK = 'quick' in sys.argv
OUT = os.environ.get('OUT', '/tmp')
t00 = time.time()
LANGS = list(XLMT_LANGS.items()); LS = [l for _, l in LANGS]; LI = {l: i for i, l in enumerate(LS)}
val = {l: load_xlmt(root, d, 'val') for d, l in LANGS}
bad = set(key(t) for l in val for t in val[l][0])
seen = set(); T, Y, G, SRC = [], [], [], []
def add(t, y, l, src):
    k = key(t)
    if k in bad or k in seen:
        return
    seen.add(k); T.append(t); Y.append(y); G.append(LI[l]); SRC.append(src)
for d, l in LANGS:
    for t, y in zip(*load_xlmt(root, d, 'train')):
        add(t, y, l, 0)
sx, sy = load_semeval(root)
for t, y in list(zip(sx, sy))[: (3000 if QUICK else None)]:
    add(t, y, 'en', 1)
emo_t = read_lines(os.path.join(root, 'tweeteval', 'emotion', 'train_text.txt'))
emo_y = [int(v) for v in read_lines(os.path.join(root, 'tweeteval', 'emotion', 'train_labels.txt'))]
for t, y in zip(emo_t, emo_y):
    add(t, {0: 0, 1: 2, 2: 2, 3: 0}[y], 'en', 2)
Y, G, SRC = np.array(Y), np.array(G), np.array(SRC)
print('train', len(T), 'by src', np.bincount(SRC), 'by lang', np.bincount(G), flush=True)
VT = [t for l in LS for t in val[l][0]]; VY = np.array([y for l in LS for y in val[l][1]]); VG = np.array([LI[l] for l in LS for _ in val[l][0]])

t0 = time.time()
N = [norm(t) for t in T]; Nv = [norm(t) for t in VT]
B = {}
def _fit_vec(name):
    vec = {'w12': lambda: word_vec(False, (1, 2)), 'wn12': lambda: word_vec(True, (1, 2)), 'cwb25': lambda: char_vec((2, 5)),
           'cwb15': lambda: char_vec((1, 5)), 'c15': lambda: char_vec((1, 5), 'char'),
           'h_wn12': lambda: hash_vec(word_vec(True, (1, 2))), 'h_cwb15': lambda: hash_vec(char_vec((1, 5)))}[name]()
    return name, (vec.fit_transform(N).tocsr(), vec.transform(Nv).tocsr())
R3 = 'r3' in sys.argv
B = dict(Parallel(n_jobs=NJ)(delayed(_fit_vec)(n) for n in (['wn12', 'cwb15', 'h_wn12', 'h_cwb15'] if R3 else ['w12', 'wn12', 'cwb25', 'cwb15', 'c15'])))
Dt = [decode(t) for t in T]
B['vader'] = (sp.csr_matrix(np.vstack(Parallel(n_jobs=NJ)(delayed(vader_feats)(Dt[i::NJ]) for i in range(NJ)))), None)
_o = np.concatenate([np.arange(len(T))[i::NJ] for i in range(NJ)]); _V = B['vader'][0].toarray(); _V2 = np.zeros_like(_V); _V2[_o] = _V
B['vader'] = (sp.csr_matrix(_V2), sp.csr_matrix(vader_feats([decode(t) for t in VT])))
print('features', round(time.time() - t0), 's', {k: v[0].shape for k, v in B.items()}, flush=True)


def conj(X, g, nl=len(LS)):
    """[X | X restricted to own language, one block per language] (feature augmentation)."""
    X = X.tocsr(); blocks = [X]
    for i in range(nl):
        D = sp.diags((g == i).astype(np.float32))
        blocks.append(D @ X)
    return sp.hstack(blocks).tocsr()


def assemble(spec):
    return (sp.hstack([B[n][0] * w for n, w in spec]).tocsr(), sp.hstack([B[n][1] * w for n, w in spec]).tocsr())


def evaluate(P):
    return {l: macro_f1(VY[VG == LI[l]], P[VG == LI[l]]) for l in LS}


def job(name, spec, mode, C, srcw=(1, 0.5, 0), model='lr'):
    t0 = time.time()
    X, Xv = assemble(spec)
    sw = np.array(srcw, dtype=np.float64)[SRC]; m_ = sw > 0
    from sklearn.svm import LinearSVC
    mk = lambda: {'lr': lambda: LogisticRegression(C=C, class_weight='balanced', max_iter=3000), 'nblr': lambda: NBLR(C=C),
                  'svc': lambda: LinearSVC(C=C, class_weight='balanced', random_state=SEED)}[model]()
    if mode == 'perlang':
        P = np.zeros(len(VY), int)
        for i, l in enumerate(LS):
            tr = (G == i) & m_; te = VG == i
            m = mk().fit(X[tr], Y[tr], sample_weight=sw[tr]) if model != 'nblr' else mk().fit(X[tr], Y[tr])
            P[te] = m.predict(Xv[te])
        S = None
    else:
        if mode == 'conj':
            X, Xv = conj(X, G), conj(Xv, VG)
        m = mk().fit(X[m_], Y[m_], sample_weight=sw[m_]) if model != 'nblr' else mk().fit(X[m_], Y[m_])
        P = m.predict(Xv)
    r = evaluate(P)
    return dict(name=name, spec=spec, mode=mode, C=C, srcw=srcw, model=model, mean=float(np.mean(list(r.values()))), per=r, secs=round(time.time() - t0))

W = [('w12', 1), ('cwb25', 1)]
J = []
for C in [0.3, 1, 3]:
    J.append(('perlang xlmt only', W, 'perlang', C, (1, 0, 0)))
    J.append(('shared xlmt+sem0.5', W, 'shared', C, (1, 0.5, 0)))
    J.append(('conj xlmt+sem0.5', W, 'conj', C, (1, 0.5, 0)))
for s in [0.2, 1.0]:
    J.append(('conj xlmt+sem%g' % s, W, 'conj', 1, (1, s, 0)))
J.append(('conj xlmt+sem0.5+emo0.5', W, 'conj', 1, (1, 0.5, 0.5)))
J.append(('conj xlmt+sem0.5 +vader', W + [('vader', 1)], 'conj', 1, (1, 0.5, 0)))
J.append(('conj xlmt+sem0.5 c15', [('w12', 1), ('c15', 1)], 'conj', 1, (1, 0.5, 0)))
J.append(('conj xlmt+sem0.5 wn12+cwb15+vader', [('wn12', 1), ('cwb15', 1), ('vader', 1)], 'conj', 1, (1, 0.5, 0)))
J.append(('conj xlmt+sem0.5 char*1.5', [('w12', 1), ('cwb25', 1.5)], 'conj', 1, (1, 0.5, 0)))
J.append(('conj xlmt+sem0.5 word*1.5', [('w12', 1.5), ('cwb25', 1)], 'conj', 1, (1, 0.5, 0)))
J.append(('conj xlmt+sem1 nblr', W, 'conj', 1, (1, 1, 0), 'nblr'))
J.append(('perlang xlmt nblr', W, 'perlang', 1, (1, 0, 0), 'nblr'))
if 'r2' in sys.argv:   # round 2: round 1's LR conj jobs were too slow; LinearSVC instead
    S = lambda *a: J.append(a)
    J = []
    S('conj xlmt+sem0.5 LR', W, 'conj', 1, (1, 0.5, 0), 'lr')
    S('perlang xlmt only', W, 'perlang', 3, (1, 0, 0), 'lr')
    S('perlang xlmt only', W, 'perlang', 10, (1, 0, 0), 'lr')
    S('perlang xlmt only', W, 'perlang', 0.3, (1, 0, 0), 'svc')
    for C in [0.1, 0.3, 1]:
        S('conj xlmt+sem0.5', W, 'conj', C, (1, 0.5, 0), 'svc')
    S('shared xlmt+sem0.5', W, 'shared', 0.3, (1, 0.5, 0), 'svc')
    for sw in [0.2, 1.0]:
        S('conj xlmt+sem%g' % sw, W, 'conj', 0.3, (1, sw, 0), 'svc')
    S('conj xlmt+sem0.5+emo0.5', W, 'conj', 0.3, (1, 0.5, 0.5), 'svc')
    S('conj xlmt+sem0.5 +vader', W + [('vader', 1)], 'conj', 0.3, (1, 0.5, 0), 'svc')
    S('conj xlmt+sem0.5 w12+c15', [('w12', 1), ('c15', 1)], 'conj', 0.3, (1, 0.5, 0), 'svc')
    S('conj xlmt+sem0.5 wn12+cwb15+vader', [('wn12', 1), ('cwb15', 1), ('vader', 1)], 'conj', 0.3, (1, 0.5, 0), 'svc')
    S('conj xlmt+sem0.5 char*1.5', [('w12', 1), ('cwb25', 1.5)], 'conj', 0.3, (1, 0.5, 0), 'svc')
if R3:
    J = []; S = lambda *a: J.append(a); V3 = [('wn12', 1), ('cwb15', 1), ('vader', 1)]; H3 = [('h_wn12', 1), ('h_cwb15', 1), ('vader', 1)]
    S('conj HASHED wn12+cwb15+vader', H3, 'conj', 0.3, (1, 0.5, 0), 'svc')
    S('conj HASHED wn12+cwb15+vader', H3, 'conj', 0.3, (1, 0.2, 0.5), 'svc')
    S('conj wn12+cwb15+vader', V3, 'conj', 0.3, (1, 0.2, 0.5), 'svc')
    S('conj wn12+cwb15+vader', V3, 'conj', 0.3, (1, 0.2, 0), 'svc')
    S('conj wn12+cwb15+vader', V3, 'conj', 0.2, (1, 0.5, 0), 'svc')
    S('conj wn12+cwb15+vader*2', [('wn12', 1), ('cwb15', 1), ('vader', 2)], 'conj', 0.3, (1, 0.5, 0), 'svc')
    S('conj wn12+cwb15+vader', V3, 'conj', 0.5, (1, 0.5, 0), 'svc')
J.sort(key=lambda j: 0 if j[2] == 'conj' and (len(j) < 6 or j[5] != 'svc') else 1)
if QUICK:
    J = J[-3:]
out = []
for r in Parallel(n_jobs=NJ, return_as='generator_unordered')(delayed(job)(*j) for j in J):
    out.append(r)
    print('%-40s %-5s C=%-4g srcw=%-14s mean %.4f | %s | %ds' % (r['name'], r['model'], r['C'], r['srcw'], r['mean'],
          ' '.join('%s %.3f' % (l, v) for l, v in r['per'].items()), r['secs']), flush=True)
json.dump(out, open(os.path.join(OUT, 'sent_multi2.json'), 'w'), indent=1)
print('total', round(time.time() - t00), 's')
