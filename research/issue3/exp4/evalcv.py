import sys, json, numpy as np, csv, time
from sklearn.model_selection import StratifiedKFold
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
import scipy.sparse as sp
name=sys.argv[1]
E=np.load(f"/tmp/minilm/{name}_emb.npy"); y=np.array(json.load(open(f"/tmp/minilm/{name}_labels.json")))
if name=="banking":
    texts=[r["text"] for r in csv.DictReader(open("/work/shared/datasets/banking77/train.csv"))]
    metric=lambda a,b: accuracy_score(a,b)
else:
    texts=[r[1] for r in csv.reader(open("/work/shared/datasets/complaints-social-media/complaints-data.csv"))]
    metric=lambda a,b: f1_score(a,b,average="macro")
skf=StratifiedKFold(5,shuffle=True,random_state=13)
def cv(make, feats):
    scores=[]
    for tr,te in skf.split(texts,y):
        Xtr,Xte=feats(tr,te)
        m=make().fit(Xtr,y[tr]); scores.append(metric(y[te],m.predict(Xte)))
    return np.mean(scores), np.std(scores)
def tfidf(tr,te):
    w=TfidfVectorizer(ngram_range=(1,2),sublinear_tf=True,min_df=1)
    c=TfidfVectorizer(analyzer="char_wb",ngram_range=(2,5),sublinear_tf=True,min_df=2)
    T=[texts[i] for i in tr]; S=[texts[i] for i in te]
    return sp.hstack([w.fit_transform(T),c.fit_transform(T)]).tocsr(), sp.hstack([w.transform(S),c.transform(S)]).tocsr()
cache={}
def tf_cached(tr,te):
    k=tuple(te[:5])
    if k not in cache: cache[k]=tfidf(tr,te)
    return cache[k]
cw="balanced" if name!="banking" else None
for C in ([1,3,10] if name=="banking" else [0.3,1,3]):
    print("emb LR C",C, cv(lambda: LogisticRegression(C=C,max_iter=2000,class_weight=cw), lambda tr,te:(E[tr],E[te])), flush=True)
print("tfidf SVC", cv(lambda: LinearSVC(C=0.5,class_weight=cw), tf_cached), flush=True)
for a in (1,2,3):
    f=lambda tr,te,a=a: (lambda A,B:(sp.hstack([A,sp.csr_matrix(E[tr]*a)]).tocsr(), sp.hstack([B,sp.csr_matrix(E[te]*a)]).tocsr()))(*tf_cached(tr,te))
    print("tfidf+emb SVC a",a, cv(lambda: LinearSVC(C=0.5,class_weight=cw), f), flush=True)
