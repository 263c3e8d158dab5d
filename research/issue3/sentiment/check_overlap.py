import sys, collections
from common import *
root = sys.argv[1]
tv, ty = load_tweeteval_val(root)
tk = set(key(t) for t in tv)
sx, sy = load_semeval(root)
ex, ey = load_xlmt(root, 'english', 'train'); evx, evy = load_xlmt(root, 'english', 'val')
print('tweeteval val', len(tv), 'unique keys', len(tk))
print('semeval', len(sx), 'overlap', sum(key(t) in tk for t in sx))
print('xlmt en train', len(ex), 'overlap', sum(key(t) in tk for t in ex))
print('xlmt en val', len(evx), 'overlap', sum(key(t) in tk for t in evx))
ek = set(key(t) for t in evx)
print('semeval overlap with xlmt en val', sum(key(t) in ek for t in sx))
print('xlmt en train overlap with xlmt en val', sum(key(t) in ek for t in ex))
print('labels', collections.Counter(ty))
o = load_other_lid_texts(root)
print({k: len(v) for k, v in o.items()})
eu = load_eu(root); print({k: len(v[0]) for k, v in eu.items()})
