"""Shared loaders + tweet normalisation for the sentiment/LID experiment."""
import os, re, html, glob, csv, json, io

XLMT_LANGS = {'arabic': 'ar', 'english': 'en', 'french': 'fr', 'german': 'de',
              'hindi': 'hi', 'italian': 'it', 'portuguese': 'pt', 'spanish': 'es'}
LAB = {'negative': 0, 'neutral': 1, 'positive': 2}

_uesc = re.compile(r'\\u([0-9a-fA-F]{4})')
_mention = re.compile(r'@\w+')
_url = re.compile(r'(https?://\S+|www\.\S+|\bhttps?\b)')
_elong = re.compile(r'(\w)\1{2,}')
_ws = re.compile(r'\s+')


def decode(t):
    t = _uesc.sub(lambda m: chr(int(m.group(1), 16)), t)
    t = html.unescape(t)
    t = t.replace('\\"', '"').replace('""', '"')
    return t


def norm(t):
    """Feature normalisation: placeholders, elongation squash, lowercase."""
    t = decode(t)
    t = _mention.sub('@user', t)
    t = _url.sub('http', t)
    t = _elong.sub(r'\1\1', t)
    t = _ws.sub(' ', t).strip().strip('"').strip()
    return t.lower()


_nonw = re.compile(r'[\W_]+')


def key(t):
    """Matching key for leakage detection (placeholder-normalised, alnum only)."""
    t = decode(t)
    t = _mention.sub(' user ', t)
    t = _url.sub(' http ', t)
    t = t.lower().replace('user', ' ').replace('http', ' ')
    return _nonw.sub('', t)


def _lines(p):
    with open(p, encoding='utf-8') as f:
        return f.read().split('\n') if True else None


def read_lines(p):
    with open(p, encoding='utf-8') as f:
        s = f.read()
    L = s.split('\n')
    if L and L[-1] == '':
        L = L[:-1]
    return L


def load_xlmt(root, lang_dir, split):
    d = os.path.join(root, 'xlmt-sentiment', lang_dir)
    X = read_lines(os.path.join(d, f'{split}_text.txt'))
    y = [int(v) for v in read_lines(os.path.join(d, f'{split}_labels.txt'))]
    assert len(X) == len(y), (lang_dir, split, len(X), len(y))
    return X, y


def load_tweeteval_val(root):
    d = os.path.join(root, 'tweeteval', 'sentiment')
    X = read_lines(os.path.join(d, 'val_text.txt'))
    y = [int(v) for v in read_lines(os.path.join(d, 'val_labels.txt'))]
    return X, y


def load_semeval(root):
    X, y = [], []
    for p in sorted(glob.glob(os.path.join(root, 'semeval-sentiment-en', '*.tsv'))):
        for line in read_lines(p):
            parts = line.split('\t')
            if len(parts) < 3 or parts[1] not in LAB:
                continue
            X.append(parts[2]); y.append(LAB[parts[1]])
    return X, y


EU = {'bos': 'bs', 'bul': 'bg', 'hrv': 'hr', 'hun': 'hu', 'pol': 'pl', 'rus': 'ru',
      'slk': 'sk', 'slv': 'sl', 'sqi': 'sq', 'srp': 'sr', 'swe': 'sv'}
_rec = re.compile(r'^(\d+)\t(Positive|Negative)\t(.*)$')


def load_eu(root):
    """-> dict lang -> (texts, labels 0/2)"""
    out = {}
    for f, lang in EU.items():
        X, y = [], []
        for line in read_lines(os.path.join(root, 'twitter-sentiment-15-european-retrieved', f + '.txt')):
            m = _rec.match(line)
            if m:
                t = m.group(3)
                if t.startswith('\\'):
                    t = t[1:]
                X.append(t); y.append(2 if m.group(2) == 'Positive' else 0)
            elif X:
                X[-1] += '\n' + line
        out[lang] = (X, y)
    return out


def load_other_lid_texts(root):
    """Unlabelled-for-sentiment texts in other languages, for LID only: lang -> texts."""
    out = {}
    # Turkish
    p = os.path.join(root, 'turkish-tweetset', 'tweetset.csv')
    with open(p, encoding='cp1254') as f:
        r = csv.reader(f); next(r)
        out['tr'] = [row[1] for row in r if len(row) > 1 and row[1].strip()]
    # Chinese
    zh = []
    for p in glob.glob(os.path.join(root, 'smp2020-ewect-weibo', '*.txt')):
        if 'test' in os.path.basename(p):
            continue
        with open(p, encoding='utf-8-sig') as f:
            zh += [d['content'] for d in json.load(f) if d['content'].strip()]
    out['zh'] = zh
    # Indonesian
    idn = []
    for p in glob.glob(os.path.join(root, 'indonlu-smsa', '*.tsv')):
        if 'test' in os.path.basename(p):
            continue
        idn += [l.split('\t')[0] for l in read_lines(p) if l.strip()]
    out['id'] = idn
    # Thai
    th = []
    for c in ['pos', 'neg', 'neu', 'q']:
        th += [l for l in read_lines(os.path.join(root, 'wisesight-sentiment', c + '.txt')) if l.strip()]
    out['th'] = th
    # Korean
    ko = []
    for p in glob.glob(os.path.join(root, 'nsmc-raw-subset', 'raw', '*.json')):
        with open(p, encoding='utf-8') as f:
            ko += [d['review'] for d in json.load(f) if d['review'].strip()]
    out['ko'] = ko
    # Russian (SentiRuEval banks)
    import xml.etree.ElementTree as ET
    ru = []
    for p in glob.glob(os.path.join(root, 'sentirueval-2016', '*.xml')):
        for col in ET.parse(p).iter('column'):
            if col.get('name') == 'text' and col.text:
                ru.append(col.text)
    out['ru'] = ru
    # Dutch (xlsx via zipfile)
    import zipfile
    nl = []
    p = os.path.join(root, 'dutch-political-tweets', 'gold.xlsx')
    if os.path.exists(p):
        z = zipfile.ZipFile(p)
        if 'xl/sharedStrings.xml' in z.namelist():
            ns = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
            root_ = ET.fromstring(z.read('xl/sharedStrings.xml'))
            for si in root_.iter(ns + 'si'):
                s = ''.join(t.text or '' for t in si.iter(ns + 't'))
                if len(s) > 25:
                    nl.append(s)
    out['nl'] = nl
    # English extras
    en = []
    for task in ['emotion', 'hate', 'irony', 'offensive']:
        p = os.path.join(root, 'tweeteval', task, 'train_text.txt')
        if os.path.exists(p):
            en += read_lines(p)
    p = os.path.join(root, 'complaints-social-media', 'complaints-data.csv')
    if os.path.exists(p):
        with open(p, encoding='utf-8') as f:
            en += [row[1] for row in csv.reader(f) if len(row) > 1]
    out['en_extra'] = en
    return out
