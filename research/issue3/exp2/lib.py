"""Shared helpers for the exp2 sweeps (seeded). Tweet tokeniser with negation marking, VADER /
lexicon dense features, one-vs-rest NB-LR, per-class bias tuning on out-of-fold scores."""
import os, re, sys, time
import numpy as np, scipy.sparse as sp
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'sentiment'))
for p in [os.path.join(HERE, '..', '..', '..', '.expdata', 'pylib')]:
    if os.path.isdir(p):
        sys.path.insert(0, os.path.abspath(p))
from common import norm, key, load_semeval, load_xlmt, load_tweeteval_val, read_lines, XLMT_LANGS  # noqa
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.metrics import recall_score, f1_score

SEED = 13
TOK = re.compile(r"@user|#?\w+(?:'\w+)?|[^\w\s]")
NEGW = set("not no never cannot nothing nobody none nor neither without nowhere dont cant wont isnt arent wasnt werent "
           "doesnt didnt havent hasnt hadnt shouldnt wouldnt couldnt aint".split())
STOPP = set('.,:;!?')


def tok(t):
    return TOK.findall(t)


def tok_neg(t):
    out, neg = [], False
    for w in TOK.findall(t):
        if w in STOPP or w == '@user' or w == 'http':
            neg = False; out.append(w); continue
        out.append('NEG_' + w if neg else w)
        if w in NEGW or w.endswith("n't"):
            neg = True
    return out


def word_vec(neg=False, ngram=(1, 2), min_df=1, sublinear=True):
    return TfidfVectorizer(tokenizer=tok_neg if neg else tok, lowercase=False, token_pattern=None,
                           ngram_range=ngram, min_df=min_df, sublinear_tf=sublinear, dtype=np.float32)


def char_vec(ngram=(2, 5), analyzer='char_wb', min_df=2, sublinear=True):
    return TfidfVectorizer(analyzer=analyzer, ngram_range=ngram, lowercase=False, min_df=min_df,
                           sublinear_tf=sublinear, dtype=np.float32)


_vader = None


def vader_feats(texts):
    """[neg, neu, pos, compound] from VADER on the raw text (mentions/links normalised)."""
    global _vader
    if _vader is None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
        _vader = SentimentIntensityAnalyzer()
    out = np.zeros((len(texts), 4), dtype=np.float32)
    for i, t in enumerate(texts):
        d = _vader.polarity_scores(t)
        out[i] = (d['neg'], d['neu'], d['pos'], d['compound'])
    return out


_lex = None


def lex_feats(texts):
    """Vectorisable VADER-lexicon features: sum of positive / negative valences (negation-flipped), /4,
    their counts, capped. Cheap alternative to full VADER at runtime."""
    global _lex
    if _lex is None:
        import vaderSentiment.vaderSentiment as vs
        _lex = {}
        with open(os.path.join(os.path.dirname(vs.__file__), 'vader_lexicon.txt'), encoding='utf-8') as f:
            for line in f:
                p = line.rstrip('\n').split('\t')
                if len(p) >= 2:
                    _lex[p[0]] = float(p[1])
    out = np.zeros((len(texts), 5), dtype=np.float32)
    for i, t in enumerate(texts):
        ps = ng = 0.0; npz = nn = 0
        for w in tok_neg(t):
            isn = w.startswith('NEG_')
            v = _lex.get(w[4:] if isn else w)
            if v is None:
                continue
            if isn:
                v = -0.74 * v
            if v > 0: ps += v; npz += 1
            else: ng -= v; nn += 1
        out[i] = (min(ps, 8) / 4, min(ng, 8) / 4, min(npz, 4) / 4, min(nn, 4) / 4, np.tanh((ps - ng) / 4))
    return out


def dense(M, w):
    return sp.csr_matrix(M * w)


class NBLR:
    """One-vs-rest NB-LR (Wang & Manning 2012): per class, scale features by the class's binarised
    log-count ratio, fit a binary LR; predict argmax of the (bias-adjusted) decision values.
    At inference this is one linear model per class over the same sparse features (r folded in W)."""
    def __init__(self, C=1.0, alpha=1.0, class_weight='balanced', beta=1.0):
        self.C, self.alpha, self.class_weight, self.beta = C, alpha, class_weight, beta

    def fit(self, X, y):
        X = sp.csr_matrix(X); y = np.asarray(y)
        self.classes_ = np.unique(y)
        Xb = X.copy(); Xb.data = (Xb.data > 0).astype(np.float32)
        self.W_, self.b_ = [], []
        for c in self.classes_:
            p = self.alpha + np.asarray(Xb[y == c].sum(0)).ravel()
            q = self.alpha + np.asarray(Xb[y != c].sum(0)).ravel()
            r = np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
            r = self.beta * r + (1 - self.beta)
            m = LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=2000).fit(X.multiply(r).tocsr(), (y == c).astype(int))
            self.W_.append(m.coef_.ravel() * r); self.b_.append(m.intercept_[0])
        self.W_ = np.vstack(self.W_).astype(np.float32); self.b_ = np.array(self.b_, dtype=np.float32)
        return self

    def decision_function(self, X):
        return np.asarray(X @ self.W_.T) + self.b_

    def predict_proba(self, X):
        d = self.decision_function(X); p = 1 / (1 + np.exp(-d)); return p / p.sum(1, keepdims=True)

    def predict(self, X):
        return self.classes_[self.decision_function(X).argmax(1)]


def softmax(d):
    d = d - d.max(1, keepdims=True); e = np.exp(d); return e / e.sum(1, keepdims=True)


def tune_bias(S, y, metric, grid=np.linspace(-1.5, 1.5, 31), rounds=2):
    """Coordinate search for per-class additive offsets on score matrix S (n x k) maximising metric."""
    k = S.shape[1]; b = np.zeros(k)
    best = metric(y, S.argmax(1))
    for _ in range(rounds):
        for c in range(1, k):
            for g in grid:
                bb = b.copy(); bb[c] = g
                v = metric(y, (S + bb).argmax(1))
                if v > best + 1e-9:
                    best, b = v, bb
    return b, best


def macro_recall(y, p):
    return recall_score(y, p, average='macro')


def macro_f1(y, p):
    return f1_score(y, p, average='macro')


def hash_vec(v, bits=20):
    """same analyzer as TfidfVectorizer v, hashed into 2**bits columns (no vocabulary), then sublinear tf-idf + l2"""
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.pipeline import make_pipeline
    p = v.get_params()
    hv = HashingVectorizer(analyzer=p['analyzer'], tokenizer=p['tokenizer'], token_pattern=None, lowercase=False,
                           ngram_range=p['ngram_range'], n_features=2 ** bits, alternate_sign=False, norm=None, dtype=np.float32)
    return make_pipeline(hv, TfidfTransformer(sublinear_tf=True))
