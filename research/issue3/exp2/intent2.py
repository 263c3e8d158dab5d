"""Banking77 (5-fold stratified CV accuracy) and complaints (5-fold CV macro-F1), seed 13.
usage: python intent2.py DATASETS N_JOBS bank|comp [quick]"""
import sys, time, json, os, re
from lib import *
from common import decode
import importlib.util as _iu
_sp = _iu.spec_from_file_location('intent_common', os.path.join(HERE, '..', 'intent', 'common.py'))
_ic = _iu.module_from_spec(_sp); _sp.loader.exec_module(_ic)
load_banking, load_complaints, normalise = _ic.load_banking, _ic.load_complaints, _ic.normalise
from joblib import Parallel, delayed
from sklearn.svm import LinearSVC
from sklearn.neural_network import MLPClassifier
root, NJ, TASK = sys.argv[1], int(sys.argv[2]), sys.argv[3]; QUICK = 'quick' in sys.argv
OUT = os.environ.get('OUT', '/tmp')
t00 = time.time()
_MENTION = re.compile(r'@\w+')
if TASK == 'bank':
    X, y = load_banking(root); metric = lambda a, b: float(np.mean(a == b)); cw = None
else:
    X, y, dom = load_complaints(root); metric = macro_f1; cw = 'balanced'
if QUICK:
    idx = np.random.default_rng(0).permutation(len(X))[:1500]; X = [X[i] for i in idx]; y = y[idx]
y = np.asarray(y)
folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(np.zeros(len(y)), y))
N = [normalise(t) for t in X]
NR = [t.lower().replace('&amp;', '&') for t in X]           # raw: brand handles kept
DENSE = {}
if TASK == 'comp':
    DENSE['vader'] = vader_feats([decode(_MENTION.sub('@user', t)) for t in X])
    DENSE['lex'] = lex_feats([norm(t) for t in X])
    # transfer features: class probabilities of linear models trained on OTHER data sets only
    # (SemEval sentiment, TweetEval emotion / offensive / hate); no complaint labels involved -> no CV leak.
    sx, sy = load_semeval(root)
    def ext(task):
        t = read_lines(os.path.join(root, 'tweeteval', task, 'train_text.txt'))
        l = [int(v) for v in read_lines(os.path.join(root, 'tweeteval', task, 'train_labels.txt'))]
        return t, l
    srcs = {'sent': (sx, sy), 'emo': ext('emotion'), 'off': ext('offensive'), 'hate': ext('hate'), 'irony': ext('irony')}
    Nc = [norm(t) for t in X]
    for nm, (tt, ll) in srcs.items():
        if QUICK:
            tt, ll = tt[:3000], ll[:3000]
        wv, cv = word_vec(True, (1, 2)), char_vec((2, 5))
        Nt = [norm(t) for t in tt]
        Xt = sp.hstack([wv.fit_transform(Nt), cv.fit_transform(Nt)]).tocsr()
        m = LogisticRegression(C=3, class_weight='balanced', max_iter=3000).fit(Xt, ll)
        Xc = sp.hstack([wv.transform(Nc), cv.transform(Nc)]).tocsr()
        DENSE['t_' + nm] = m.predict_proba(Xc).astype(np.float32)
        print('transfer', nm, len(tt), DENSE['t_' + nm].mean(0).round(3), flush=True)
    DENSE['transfer'] = np.hstack([DENSE['t_' + k] for k in srcs])
print('data', len(X), 'classes', len(set(y)), 'prep', round(time.time() - t00), 's', flush=True)


def feats(tr, te, spec, raw=False):
    T = NR if raw else N
    A, Bv = [], []
    for name, w in spec:
        if name in DENSE:
            A.append(sp.csr_matrix(DENSE[name][tr] * w)); Bv.append(sp.csr_matrix(DENSE[name][te] * w)); continue
        kind, a, b, md = name.split(':')  # e.g. w:1:2:1  cwb:2:5:1  c:1:5:2
        a, b, md = int(a), int(b), int(md)
        if kind == 'w':
            v = word_vec(False, (a, b), min_df=md)
        elif kind == 'wn':
            v = word_vec(True, (a, b), min_df=md)
        else:
            v = char_vec((a, b), 'char_wb' if kind == 'cwb' else 'char', min_df=md)
        Ttr = [T[i] for i in tr]; Tte = [T[i] for i in te]
        A.append(v.fit_transform(Ttr) * w); Bv.append(v.transform(Tte) * w)
    return sp.hstack(A).tocsr(), sp.hstack(Bv).tocsr()


def make(model, C):
    if model == 'svc':
        return LinearSVC(C=C, class_weight=cw, random_state=SEED)
    if model == 'cs':
        return LinearSVC(C=C, class_weight=cw, multi_class='crammer_singer', random_state=SEED)
    if model == 'lr':
        return LogisticRegression(C=C, class_weight=cw, max_iter=3000)
    if model == 'nblr':
        return NBLR(C=C, class_weight=cw)
    if model.startswith('mlp'):
        h = int(model[3:])
        return MLPClassifier(hidden_layer_sizes=(h,), alpha=C, max_iter=20, batch_size=256, learning_rate_init=2e-3,
                             early_stopping=False, random_state=SEED)


def fold_job(cid, f, spec, model, C, raw):
    tr, te = folds[f]
    A, Bv = feats(tr, te, spec, raw)
    m = make(model, C).fit(A, y[tr])
    return cid, f, metric(y[te], m.predict(Bv)), A.shape[1]

if TASK == 'bank':
    B0 = [('w:1:2:1', 1), ('cwb:2:5:1', 1)]
    CONF = [('svc base', B0, 'svc', 1), ('svc w13+c16', [('w:1:3:1', 1), ('c:1:6:1', 1)], 'svc', 1),
            ('svc w12+cwb16', [('w:1:2:1', 1), ('cwb:1:6:1', 1)], 'svc', 1),
            ('svc word*1.5', [('w:1:2:1', 1.5), ('cwb:2:5:1', 1)], 'svc', 1),
            ('svc char*1.5', [('w:1:2:1', 1), ('cwb:2:5:1', 1.5)], 'svc', 1),
            ('svc w12+cwb25+c36', [('w:1:2:1', 1), ('cwb:2:5:1', 1), ('c:3:6:2', 1)], 'svc', 1),
            ('cs base', B0, 'cs', 0.5), ('cs base', B0, 'cs', 1),
            ('lr base', B0, 'lr', 30),
            ('mlp256 md2', [('w:1:2:2', 1), ('cwb:2:5:2', 1)], 'mlp256', 1e-4),
            ('mlp128 md2', [('w:1:2:2', 1), ('cwb:2:5:2', 1)], 'mlp128', 1e-4)]
else:
    B0 = [('w:1:2:1', 1), ('cwb:2:5:1', 1)]
    CONF = [('svc base', B0, 'svc', 0.3), ('svc base', B0, 'svc', 0.1), ('lr base', B0, 'lr', 10),
            ('svc +vader', B0 + [('vader', 1)], 'svc', 0.3), ('svc +lex', B0 + [('lex', 1)], 'svc', 0.3),
            ('svc +t_sent', B0 + [('t_sent', 1)], 'svc', 0.3), ('svc +t_emo', B0 + [('t_emo', 1)], 'svc', 0.3),
            ('svc +transfer', B0 + [('transfer', 1)], 'svc', 0.3), ('svc +transfer*2', B0 + [('transfer', 2)], 'svc', 0.3),
            ('svc +transfer+vader', B0 + [('transfer', 1), ('vader', 1)], 'svc', 0.3),
            ('svc +transfer+vader', B0 + [('transfer', 1), ('vader', 1)], 'svc', 0.1),
            ('lr +transfer+vader', B0 + [('transfer', 1), ('vader', 1)], 'lr', 10),
            ('lr +transfer+vader', B0 + [('transfer', 1), ('vader', 1)], 'lr', 3),
            ('nblr base', B0, 'nblr', 3), ('nblr +transfer+vader', B0 + [('transfer', 1), ('vader', 1)], 'nblr', 3),
            ('svc wn12 +transfer+vader', [('wn:1:2:1', 1), ('cwb:2:5:1', 1), ('transfer', 1), ('vader', 1)], 'svc', 0.3),
            ('svc RAW base', B0, 'svc', 0.3, True), ('svc RAW +transfer+vader', B0 + [('transfer', 1), ('vader', 1)], 'svc', 0.3, True)]
if 'r2' in sys.argv and TASK == 'comp':
    CONF = [('svc RAW +t_sent', B0 + [('t_sent', 1)], 'svc', 0.3, True), ('lr RAW +transfer+vader', B0 + [('transfer', 1), ('vader', 1)], 'lr', 10, True),
            ('svc RAW +transfer+vader', B0 + [('transfer', 1), ('vader', 1)], 'svc', 0.5, True),
            ('svc RAW +t_sent+t_emo+vader', B0 + [('t_sent', 1), ('t_emo', 1), ('vader', 1)], 'svc', 0.3, True),
            ('svc +t_sent+t_emo', B0 + [('t_sent', 1), ('t_emo', 1)], 'svc', 0.3), ('svc +t_sent*2', B0 + [('t_sent', 2)], 'svc', 0.3),
            ('svc +t_sent', B0 + [('t_sent', 1)], 'svc', 0.5), ('lr +t_sent', B0 + [('t_sent', 1)], 'lr', 10),
            ('svc w13+cwb25 +t_sent', [('w:1:3:1', 1), ('cwb:2:5:1', 1), ('t_sent', 1)], 'svc', 0.3),
            ('svc w12+cwb15 +t_sent', [('w:1:2:1', 1), ('cwb:1:5:1', 1), ('t_sent', 1)], 'svc', 0.3),
            ('nblr +t_sent', B0 + [('t_sent', 1)], 'nblr', 3), ('nblr RAW +t_sent', B0 + [('t_sent', 1)], 'nblr', 3, True)]
CONF = [c if len(c) == 5 else c + (False,) for c in CONF]
if QUICK:
    CONF = CONF[:1] + CONF[-1:]
jobs = [(i, f, c[1], c[2], c[3], c[4]) for i, c in enumerate(CONF) for f in range(5)]
# long jobs first
jobs.sort(key=lambda j: 0 if CONF[j[0]][2].startswith('mlp') or CONF[j[0]][2] == 'lr' else 1)
res = {}
out = []
for cid, f, s, nf in Parallel(n_jobs=NJ, return_as='generator_unordered')(delayed(fold_job)(*j) for j in jobs):
    res.setdefault(cid, []).append(s)
    if len(res[cid]) == 5:
        c = CONF[cid]; m, sd = float(np.mean(res[cid])), float(np.std(res[cid]))
        out.append(dict(name=c[0], spec=c[1], model=c[2], C=c[3], raw=c[4], mean=m, std=sd, nfeat=nf))
        print('%-28s %-6s C=%-6g %s %.4f ± %.4f  (%d feats)  t=%ds' % (c[0], c[2], c[3], 'acc' if TASK == 'bank' else 'macroF1', m, sd, nf, time.time() - t00), flush=True)
json.dump(out, open(os.path.join(OUT, 'intent2_%s.json' % TASK), 'w'), indent=1)
print('total', round(time.time() - t00), 's')
