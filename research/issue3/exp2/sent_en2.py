"""English sentiment on TweetEval sentiment val (macro recall). usage: python sent_en2.py DATASETS N_JOBS [quick]
Train = SemEval TSVs + XLM-T English train (+ optionally TweetEval emotion train/val mapped to sentiment),
dedup by common.key, every row whose key matches a TweetEval sentiment val tweet dropped."""
import sys, time, json, os
from lib import *
from common import decode
from joblib import Parallel, delayed
root, NJ = sys.argv[1], int(sys.argv[2]); QUICK = 'quick' in sys.argv
OUT = os.environ.get('OUT', '/tmp')
t00 = time.time()
tv, ty = load_tweeteval_val(root); ty = np.array(ty)
bad = set(key(t) for t in tv)
sx, sy = load_semeval(root); ex, ey = load_xlmt(root, 'english', 'train')
emo_t = read_lines(os.path.join(root, 'tweeteval', 'emotion', 'train_text.txt')) + read_lines(os.path.join(root, 'tweeteval', 'emotion', 'val_text.txt'))
emo_y = [int(v) for v in read_lines(os.path.join(root, 'tweeteval', 'emotion', 'train_labels.txt')) + read_lines(os.path.join(root, 'tweeteval', 'emotion', 'val_labels.txt'))]
EMAP = {0: 0, 1: 2, 2: 2, 3: 0}   # anger, joy, optimism, sadness


def collect(pairs):
    X, Y, seen, drop = [], [], set(), 0
    for t, y in pairs:
        k = key(t)
        if k in bad:
            drop += 1; continue
        if k in seen:
            continue
        seen.add(k); X.append(t); Y.append(y)
    return X, np.array(Y), drop

base = list(zip(sx, sy)) + list(zip(ex, ey))
if QUICK:
    base = base[:6000]
Xa, ya, d = collect(base)
print('base train', len(Xa), np.bincount(ya), 'dropped leaked', d, flush=True)
Xe, ye, d2 = collect(base + [(t, EMAP[y]) for t, y in zip(emo_t, emo_y)])
print('base+emo train', len(Xe), np.bincount(ye), 'dropped leaked', d2, flush=True)

_VC = {}
def _vader_cached(texts):
    miss = [t for t in texts if t not in _VC]
    if miss:
        F = np.vstack(Parallel(n_jobs=NJ)(delayed(vader_feats)(miss[i::NJ]) for i in range(NJ)))
        order = [t for i in range(NJ) for t in miss[i::NJ]]
        _VC.update(zip(order, F))
    return np.vstack([_VC[t] for t in texts])


def _fit_vec(name, N, Nv):
    vec = {'w12': lambda: word_vec(False, (1, 2)), 'wn13': lambda: word_vec(True, (1, 3)), 'wn12': lambda: word_vec(True, (1, 2)),
           'cwb25': lambda: char_vec((2, 5)), 'c15': lambda: char_vec((1, 5), 'char'),
           'h_wn13': lambda: hash_vec(word_vec(True, (1, 3))), 'h_cwb25': lambda: hash_vec(char_vec((2, 5)))}[name]()
    return name, (vec.fit_transform(N).tocsr(), vec.transform(Nv).tocsr())


def _old_hash_vec(v):
    """same analyzer, hashed into 2**20 columns (no vocabulary), then sublinear tf-idf + l2"""
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.pipeline import make_pipeline
    p = v.get_params()
    hv = HashingVectorizer(analyzer=p['analyzer'], tokenizer=p['tokenizer'], token_pattern=None, lowercase=False,
                           ngram_range=p['ngram_range'], n_features=2 ** 20, alternate_sign=False, norm=None, dtype=np.float32)
    return make_pipeline(hv, TfidfTransformer(sublinear_tf=True))


def blocks(X, names):
    N = [norm(t) for t in X]; Nv = [norm(t) for t in tv]
    V = _vader_cached([decode(t) for t in X]); Vv = _vader_cached([decode(t) for t in tv])
    L = lex_feats(N); Lv = lex_feats(Nv)
    B = dict(Parallel(n_jobs=NJ)(delayed(_fit_vec)(n, N, Nv) for n in names))
    B['vader'] = (V, Vv); B['lex'] = (L, Lv)
    return B

t0 = time.time()
R2 = 'r2' in sys.argv
R3 = 'r3' in sys.argv
if R3:
    BB = {'base': blocks(Xa, ['h_wn13', 'h_cwb25'])}
else:
    BB = {'base': blocks(Xa, ['w12', 'wn13', 'wn12', 'cwb25'] + (['h_wn13', 'h_cwb25'] if R2 else [])), 'emo': blocks(Xe, ['wn13', 'cwb25'])}
YY = {'base': ya, 'emo': ye}
print('features', round(time.time() - t0), 's', {k: v[0].shape for k, v in BB['base'].items()}, flush=True)


def assemble(data, spec):
    B = BB[data]; tr, va = [], []
    for name, w in spec:
        a, b = B[name]
        if isinstance(a, np.ndarray):
            a, b = sp.csr_matrix(a), sp.csr_matrix(b)
        tr.append(a * w); va.append(b * w)
    return sp.hstack(tr).tocsr(), sp.hstack(va).tocsr()


def make(model, C):
    if model == 'lr':
        return LogisticRegression(C=C, class_weight='balanced', max_iter=3000)
    if model == 'svc':
        from sklearn.svm import LinearSVC
        return LinearSVC(C=C, class_weight='balanced', random_state=SEED)
    if model == 'nblr':
        return NBLR(C=C)


def scores(m, X):
    return m.decision_function(X) if model_is_margin(m) else np.log(m.predict_proba(X) + 1e-9)


def model_is_margin(m):
    return not hasattr(m, 'predict_proba') or isinstance(m, NBLR)


def job(name, data, spec, model, C, bias_cv=False):
    t0 = time.time()
    X, Xv = assemble(data, spec); y = YY[data]
    m = make(model, C).fit(X, y)
    S = m.decision_function(Xv)
    p = S.argmax(1)
    res = dict(name=name, data=data, spec=spec, model=model, C=C, macroR=macro_recall(ty, p), macroF1=macro_f1(ty, p))
    if bias_cv:   # per-class offsets tuned on out-of-fold TRAIN scores, then applied to val
        oof = np.zeros((len(y), 3))
        for tr, te in StratifiedKFold(5, shuffle=True, random_state=SEED).split(X, y):
            oof[te] = make(model, C).fit(X[tr], y[tr]).decision_function(X[te])
        b, cvs = tune_bias(oof, y, macro_recall, grid=np.linspace(-2, 2, 41))
        pb = (S + b).argmax(1)
        res.update(bias=b.tolist(), cv_macroR_oof=cvs, cv_macroR_oof_nobias=macro_recall(y, oof.argmax(1)),
                   macroR_bias=macro_recall(ty, pb), macroF1_bias=macro_f1(ty, pb))
    res['secs'] = round(time.time() - t0, 1)
    return res

W = [('wn13', 1.0), ('cwb25', 1.0)]
J = []
for C in [1, 3, 10]:
    J.append(('lr w12+cwb25', 'base', [('w12', 1), ('cwb25', 1)], 'lr', C))
    J.append(('lr wn13+cwb25', 'base', W, 'lr', C))
for C in [0.1, 0.3]:
    J.append(('svc wn13+cwb25', 'base', W, 'svc', C))
for wv in [0.5, 1, 2]:
    J.append(('lr wn13+cwb25+vader*%g' % wv, 'base', W + [('vader', wv)], 'lr', 3))
J.append(('lr wn13+cwb25+lex', 'base', W + [('lex', 1)], 'lr', 3))
J.append(('lr wn13+cwb25+vader+lex', 'base', W + [('vader', 1), ('lex', 1)], 'lr', 3))
for C in [3, 10]:
    J.append(('lr EMO wn13+cwb25+vader', 'emo', W + [('vader', 1)], 'lr', C))
    J.append(('lr EMO wn13+cwb25', 'emo', W, 'lr', C))
for wc in [0.5, 1.5]:
    J.append(('lr wn13+cwb25*%g+vader' % wc, 'base', [('wn13', 1), ('cwb25', wc), ('vader', 1)], 'lr', 3))
for C in [0.3, 1, 3]:
    J.append(('nblr wn13+cwb25+vader', 'base', W + [('vader', 1)], 'nblr', C))
J.append(('nblr wn12+cwb25', 'base', [('wn12', 1), ('cwb25', 1)], 'nblr', 1))
J.append(('lr wn13+cwb25+vader BIAS', 'base', W + [('vader', 1)], 'lr', 3, True))
J.append(('nblr wn13+cwb25+vader BIAS', 'base', W + [('vader', 1)], 'nblr', 1, True))
J = J[-2:] + J[:-2]   # slow bias jobs first
if R2:   # round 2 (round 1 ran out of time after the first 10 jobs)
    done = {('lr w12+cwb25', 1), ('lr w12+cwb25', 3), ('lr wn13+cwb25', 1), ('lr w12+cwb25', 10), ('svc wn13+cwb25', 0.1),
            ('svc wn13+cwb25', 0.3), ('lr wn13+cwb25', 10), ('lr wn13+cwb25', 3), ('nblr wn13+cwb25+vader BIAS', 1),
            ('lr wn13+cwb25+vader*0.5', 3), ('lr wn13+cwb25+vader BIAS', 3)}
    J = [j for j in J if (j[0], j[4]) not in done]
    HW = [('h_wn13', 1), ('h_cwb25', 1)]
    J = [('nblr HASHED wn13+cwb25+vader BIAS', 'base', HW + [('vader', 1)], 'nblr', 1, True),
         ('svc wn13+cwb25+vader BIAS', 'base', W + [('vader', 1)], 'svc', 0.3, True),
         ('nblr wn13+cwb25+vader*0.5', 'base', W + [('vader', 0.5)], 'nblr', 1),
         ('nblr wn13+cwb25+vader*2', 'base', W + [('vader', 2)], 'nblr', 1),
         ('nblr EMO wn13+cwb25+vader', 'emo', W + [('vader', 1)], 'nblr', 1),
         ('svc wn13+cwb25+vader', 'base', W + [('vader', 1)], 'svc', 0.1),
         ('svc wn13+cwb25+vader*2', 'base', W + [('vader', 2)], 'svc', 0.3),
         ('nblr HASHED wn13+cwb25+vader', 'base', HW + [('vader', 1)], 'nblr', 1)] + J
if R3:   # round 3: the recommended recipes on hashed features (2**20 per block)
    HW = [('h_wn13', 1), ('h_cwb25', 1)]; HW5 = [('h_wn13', 1), ('h_cwb25', 0.5)]
    J = [('lr HASHED wn13+cwb25*0.5+vader', 'base', HW5 + [('vader', 1)], 'lr', 3),
         ('svc HASHED wn13+cwb25+vader', 'base', HW + [('vader', 1)], 'svc', 0.1),
         ('svc HASHED wn13+cwb25+vader', 'base', HW + [('vader', 1)], 'svc', 0.05),
         ('svc HASHED wn13+cwb25*0.5+vader', 'base', HW5 + [('vader', 1)], 'svc', 0.1),
         ('svc HASHED wn13+cwb25+vader BIAS', 'base', HW + [('vader', 1)], 'svc', 0.1, True),
         ('svc HASHED wn13+cwb25', 'base', HW, 'svc', 0.1)]
if QUICK:
    J = J[:2] + J[-2:]
out = []
for r in Parallel(n_jobs=NJ, return_as='generator_unordered')(delayed(job)(*j) for j in J):
    out.append(r)
    extra = ' | bias %s oofR %.4f->%.4f valR_bias %.4f' % (np.round(r['bias'], 2), r['cv_macroR_oof_nobias'], r['cv_macroR_oof'], r['macroR_bias']) if 'bias' in r else ''
    print('%-36s %-4s C=%-4g macroR %.4f F1 %.4f %5.0fs%s' % (r['name'], r['data'], r['C'], r['macroR'], r['macroF1'], r['secs'], extra), flush=True)
json.dump(out, open(os.path.join(OUT, 'sent_en2.json'), 'w'), indent=1)
print('total', round(time.time() - t00), 's')
