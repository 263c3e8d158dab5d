import json, time
from rapport.nlp.language import LanguageDetector
from rapport.nlp.features import normalise_batch
from rapport.nlp.sentiment import SentimentModel
from rapport.nlp.extract import features_for
texts = [json.loads(l)["text"] for l in open("/tmp/mb_posts.jsonl")]
langs = [l.label for l in LanguageDetector().detect_batch(texts)]
en = [t for t, l in zip(texts, langs) if l == "en"]
m = SentimentModel(); h = m.english
bs = [en[i:i+1000] for i in range(0, len(en), 1000)]
nb = [normalise_batch(b) for b in bs]
feats = [features_for(b) for b in bs]
h.probabilities(nb[0], len(bs[0]))
best = [1e9]*len(bs); bm = [1e9]*len(bs)
for _ in range(7):
    for j, b in enumerate(bs):
        t=time.perf_counter(); h.probabilities(nb[j], len(b)); best[j]=min(best[j], time.perf_counter()-t)
        t=time.perf_counter(); m.multilingual(feats[j], ["en"]*len(b)); bm[j]=min(bm[j], time.perf_counter()-t)
print(len(en), "English posts; English head", round(sum(best)/len(en)*1e6,1), "us/post; multilingual head (features given)", round(sum(bm)/len(en)*1e6,1))
