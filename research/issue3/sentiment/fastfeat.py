"""Vectorised (numpy) tweet normalisation + hashed char/word n-gram features.
Whole batch is processed as one string -> one uint32 code-point array; no per-text Python loops
except one join. Output: CSR (may contain duplicate entries; fine for linear models)."""
import re, html
import numpy as np
import scipy.sparse as sp

_uesc = re.compile(r'\\u([0-9a-fA-F]{4})')
_mention = re.compile(r'@\w+')
_url = re.compile(r'https?://\S+|www\.\S+')
_elong = re.compile(r'(\w)\1{2,}')
_hsp = re.compile(r'[ \t\r\f\v\u00a0]+')
_punct = re.compile(r'([!?.,;:()"\u201c\u201d\u2026]+)')
SEP = '\n'


def norm_batch(texts):
    s = SEP.join(t.replace('\n', ' ').replace('\r', ' ') for t in texts)
    if '\\u' in s:
        s = _uesc.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) not in ('000a', '000d', '000A', '000D') else ' ', s)
    if '&' in s:
        s = html.unescape(s).replace('\r', ' ')
    s = s.replace('\\"', '"').replace('""', '"')
    s = _mention.sub('@user', s)
    s = _url.sub('http', s)
    s = s.replace('\t', ' ')
    s = s.lower()
    return s


P = np.uint64(1000003)
M1 = np.uint64(0xbf58476d1ce4e5b9)
M2 = np.uint64(0x94d049bb133111eb)


def _mix(h):
    h = h ^ (h >> np.uint64(30)); h = h * M1
    h = h ^ (h >> np.uint64(27)); h = h * M2
    return h ^ (h >> np.uint64(31))


def featurize(texts, bits=20, char_n=(1, 4), words=True, bigrams=True, s=None):
    """Return CSR [n_docs x 2**bits], rows scaled by 1/sqrt(#ngrams). Entries are generated in
    position-major order (one column per feature type), so no sort is needed to build the CSR."""
    if s is None:
        s = norm_batch(texts)
    n_docs = s.count(SEP) + 1
    s = ' ' + s.replace(SEP, ' \n ') + ' '
    a = np.frombuffer(s.encode('utf-32-le'), dtype=np.uint32)
    # elongation squash (vectorised): drop a char equal to the two before it (not digits/newline)
    rep = np.zeros(a.shape[0], dtype=bool)
    rep[2:] = (a[2:] == a[1:-1]) & (a[1:-1] == a[:-2]) & ((a[2:] < 48) | (a[2:] > 57)) & (a[2:] != 10)
    a = a[~rep].astype(np.uint64)
    L = a.shape[0]
    is_sep = (a == 10)
    doc = np.cumsum(is_sep, dtype=np.int32)          # doc id per position
    cs = np.zeros(L + 1, dtype=np.int32); cs[1:] = doc
    shift = np.uint64(64 - bits)
    nchar = char_n[1] - char_n[0] + 1
    ncol = nchar + (1 if words else 0) + (1 if (words and bigrams) else 0)
    HH = np.zeros((L, ncol), dtype=np.uint64)
    OK = np.zeros((L, ncol), dtype=bool)
    with np.errstate(over='ignore'):
        h = np.zeros(L, dtype=np.uint64)
        j = 0
        for n in range(1, char_n[1] + 1):
            m = L - n + 1
            h = h[:m] * P + a[n - 1:n - 1 + m]
            if n >= char_n[0]:
                ok = (cs[n:n + m] - cs[:m]) == 0
                if n == 1:
                    ok &= a[:m] != 32
                OK[:m, j] = ok
                HH[:m, j] = (h + np.uint64(n * 0x9E3779B97F4A7C15 & 0xFFFFFFFFFFFFFFFF)) * M1
                j += 1
        if words:
            R = np.uint64(0x100000001b3)
            pw = np.ones(L + 1, dtype=np.uint64)
            pw[1:] = np.cumprod(np.full(L, R, dtype=np.uint64))
            H = np.zeros(L + 1, dtype=np.uint64); H[1:] = np.cumsum(a * pw[:L])
            bnd = np.nonzero((a == 32) | is_sep)[0]
            st, en = bnd[:-1] + 1, bnd[1:]
            keep = en > st
            st, en = st[keep], en[keep]
            wh = (H[en] - H[st]) * pw[L - st]
            HH[en - 1, j] = (wh ^ np.uint64(0x5555555555555555)) * M2
            OK[en - 1, j] = True
            if bigrams and len(st) > 1:
                same = doc[st[:-1]] == doc[st[1:]]
                bh = (H[en[1:]] - H[st[:-1]]) * pw[L - st[:-1]]
                e2 = en[1:][same] - 1
                HH[e2, j + 1] = ((bh ^ np.uint64(0x3333333333333333)) * M2)[same]
                OK[e2, j + 1] = True
    flat = np.flatnonzero(OK.ravel())
    c = (HH.ravel()[flat] >> shift).astype(np.int32)
    r = doc[flat // ncol]
    cnt = np.bincount(r, minlength=n_docs)
    indptr = np.zeros(n_docs + 1, dtype=np.int64); indptr[1:] = np.cumsum(cnt)
    scale = (1.0 / np.sqrt(np.maximum(cnt, 1))).astype(np.float32)
    return sp.csr_matrix((scale[r], c, indptr), shape=(n_docs, 2 ** bits))


def fold(X, bits):
    """Fold a hashed matrix into 2**bits columns (top bits of hash -> use right shift)."""
    X = X.tocoo()
    sh = int(np.log2(X.shape[1])) - bits
    return sp.csr_matrix((X.data, (X.row, X.col >> sh)), shape=(X.shape[0], 2 ** bits))
