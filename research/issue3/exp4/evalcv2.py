import sys, json, numpy as np, time
sys.path.insert(0, "/work/main/src")
import scipy.sparse as sp
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from pathlib import Path
from rapport.training.datasets import Datasets
from rapport.training.evaluate import features_for
from rapport.nlp.features import DEFAULT_SPEC, fold
from rapport.training.fit import compact
name=sys.argv[1]; E5=np.load(f"/tmp/minilm/{name}_emb5.npy")
data=Datasets(Path("/work/shared/datasets"))
if name=="banking":
    texts,labels=data.banking77(); metric=accuracy_score; fb=18; C=1.0; cw=None
else:
    texts,labels=data.complaints(); metric=lambda a,b: f1_score(a,b,average="macro"); fb=None; C=0.3; cw="balanced"
y=np.array(labels); print(len(texts), E5.shape)
M=features_for(texts, DEFAULT_SPEC)
if fb: M=fold(M, fb)
skf=list(StratifiedKFold(5,shuffle=True,random_state=13).split(texts,y))
def ngram(tr):
    cols, comp, df = compact(M[tr], 2 if name=="banking" else 1)
    scale=np.log((1+len(tr))/(1+df)).astype(np.float32)+1
    return cols, scale
cache={}
for k,(tr,te) in enumerate(skf):
    cols,scale=ngram(tr); cache[k]=(sp.csr_matrix(M[tr][:,cols]@sp.diags(scale)), sp.csr_matrix(M[te][:,cols]@sp.diags(scale)))
subsets={"mean":[0],"mean+max":[0,1],"mean+cls":[0,2],"mean+L5+L4":[0,3,4],"all":[0,1,2,3,4]}
def run(label, sub, a, C2, algo="svm"):
    idx=np.concatenate([np.arange(i*384,(i+1)*384) for i in sub]) if sub else None
    sc=[]
    for k,(tr,te) in enumerate(skf):
        A,B=cache[k]
        if sub is not None:
            A=sp.hstack([A,sp.csr_matrix(E5[tr][:,idx]*a)]).tocsr(); B=sp.hstack([B,sp.csr_matrix(E5[te][:,idx]*a)]).tocsr()
        m=(LinearSVC(C=C2,class_weight=cw,random_state=13,max_iter=3000) if algo=="svm" else LogisticRegression(C=C2,class_weight=cw,max_iter=3000)).fit(A,y[tr])
        sc.append(metric(y[te],m.predict(B)))
    print(f"{label:30s} a={a} C={C2} {algo}: {np.mean(sc):.4f} ± {np.std(sc):.4f}", flush=True)
run("ngram only", None, 0, C)
for s in (["mean","mean+max","mean+cls","mean+L5+L4","all"]):
    run(s, subsets[s], 1 if name!="banking" else 2, C)
