exec(open("evalcv2.py").read().split("run(\"ngram only\"")[0])
import sys
from sklearn.neural_network import MLPClassifier
mode=sys.argv[2]
if mode=="b1":
    for C2 in (10,30):
        idx=np.arange(1920); sc=[]
        for k,(tr,te) in enumerate(skf):
            m=LogisticRegression(C=C2,max_iter=3000).fit(E5[tr],y[tr]); sc.append(metric(y[te],m.predict(E5[te])))
        print("emb all LR C",C2,np.mean(sc),flush=True)
    run("all", subsets["all"], 3, 1.0); run("all", subsets["all"], 4, 1.0)
elif mode=="b2":
    sc=[]
    for k,(tr,te) in enumerate(skf):
        m=MLPClassifier((512,),alpha=1e-3,early_stopping=True,random_state=13,max_iter=200).fit(E5[tr],y[tr]); sc.append(metric(y[te],m.predict(E5[te])))
        print(" fold",sc[-1],flush=True)
    print("emb all MLP",np.mean(sc),flush=True)
elif mode=="c":
    for a,C2 in ((0.7,0.3),(1.5,0.3),(1,0.1),(1,1.0)):
        run("mean+L5+L4", subsets["mean+L5+L4"], a, C2)
