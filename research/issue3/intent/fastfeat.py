"""Vectorised (numpy) hashed character n-gram featuriser: no per-n-gram Python loop.
Text normalisation (lowercase, URLs -> '_', @mentions -> '@', digits -> '0') is applied once to the joined batch."""
import re
import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

SEP = "\n"
_URL = re.compile(r"https?://[^\s]+|www\.[^\s]+")
_MENTION = re.compile(r"@\w+")
_NUM = re.compile(r"\d")
_DIG = str.maketrans("123456789", "000000000")
_WS = re.compile(r"[ \t\r\f\v]+")


def _batch_bytes(texts, norm, keep_mentions):
    s = SEP.join(t.replace(SEP, " ") for t in texts)
    s = s.lower()
    if norm:
        s = _URL.sub("\x02", s)        # one-char URL token
        if not keep_mentions:
            s = _MENTION.sub("@", s)   # mention token '@'
        s = s.translate(_DIG)
    s = _WS.sub(" ", s)
    s = " " + s.replace(SEP, " " + SEP + " ") + " "   # pad each text with spaces
    return np.frombuffer(s.encode("utf-8", "replace"), dtype=np.uint8)


class FastCharHash(BaseEstimator, TransformerMixin):
    def __init__(self, nmin=1, nmax=5, n_bits=18, norm=True, keep_mentions=False, sublinear=True):
        self.nmin, self.nmax, self.n_bits, self.norm, self.keep_mentions, self.sublinear = nmin, nmax, n_bits, norm, keep_mentions, sublinear

    def fit(self, X, y=None):
        return self

    def transform(self, texts):
        b = _batch_bytes(texts, self.norm, self.keep_mentions)
        L = len(b)
        sep = (b == ord(SEP))
        doc = np.cumsum(sep)                       # doc id of each byte
        csep = np.concatenate([[0], doc])          # prefix count of separators
        bb = b.astype(np.uint64)
        k = self.nmax - self.nmin + 1
        H = np.zeros((L, k), dtype=np.uint64)      # H[pos, j] = hash of n-gram (n = nmin+j) starting at pos
        OK = np.zeros((L, k), dtype=bool)
        h = np.zeros(L, dtype=np.uint64)
        shift = np.uint64(64 - self.n_bits)
        M1 = np.uint64(0x9E3779B97F4A7C15)
        with np.errstate(over="ignore"):
            for n in range(1, self.nmax + 1):
                m = L - n + 1
                h = h[:m] * np.uint64(1099511628211) + bb[n - 1:n - 1 + m] + np.uint64(n)
                if n >= self.nmin:
                    j = n - self.nmin
                    H[:m, j] = h
                    OK[:m, j] = (csep[n:n + m] - csep[:m]) == 0   # window contains no separator
            flat = np.flatnonzero(OK.ravel())          # position-major => doc ids non-decreasing
            c = ((H.ravel()[flat] * M1) >> shift).astype(np.int32)
        r = doc[flat // k]
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.bincount(r, minlength=len(texts)), out=indptr[1:])
        X = sparse.csr_matrix((np.ones(len(c), dtype=np.float32), c, indptr),
                              shape=(len(texts), 1 << self.n_bits))
        if self.sublinear:   # dedupe + 1+log(tf); otherwise duplicates are left (they add up in X @ W)
            X.sum_duplicates(); np.log(X.data, out=X.data); X.data += 1
        return X
