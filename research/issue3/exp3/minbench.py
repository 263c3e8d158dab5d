"""Load-robust: per-batch minimum over passes, for the enrich pipeline and the sentiment enricher alone."""
import json, sys, time, tempfile
from pathlib import Path
import msgspec
from rapport.demo.stream import write_jsonl
from rapport.pipeline.build import analysis_stages
from rapport.pipeline.runner import Runner
from rapport.records import Batch, Envelope, Post
from rapport.runtime import tune_for_batches
from rapport.pipeline.enrich import BatchContext
from rapport.pipeline.enrichers import LanguageEnricher, SentimentEnricher
tune_for_batches()
path = Path("/tmp/mb_posts.jsonl")
if not path.exists():
    write_jsonl(path, 20000, seed=7)
dec = msgspec.json.Decoder(Post)
posts = [dec.decode(l) for l in path.open("rb")]
stages = [s for s in analysis_stages(enrich=True) if s.name not in ("score", "route")]
runner = Runner(stages)
runner.process(Batch(source="w", items=tuple(Envelope(post=p) for p in posts[:50])))
B = 2000
batches = [posts[i:i+B] for i in range(0, len(posts), B)]
best = [1e9] * len(batches)
for _ in range(5):
    for j, b in enumerate(batches):
        items = tuple(Envelope(post=p) for p in b)
        t = time.perf_counter(); runner.process(Batch(source="b", items=items)); best[j] = min(best[j], time.perf_counter() - t)
print("pipeline best-case posts/s", round(len(posts) / sum(best)))
lang, sent = LanguageEnricher(), SentimentEnricher()
ctxs = []
for b in batches:
    c = BatchContext(b); c.features
    for f, v in zip(c.found, lang.enrich(c)): f.update(v)
    ctxs.append(c)
sent.enrich(ctxs[0])
bs = [1e9] * len(ctxs)
for _ in range(7):
    for j, c in enumerate(ctxs):
        t = time.perf_counter(); sent.enrich(c); bs[j] = min(bs[j], time.perf_counter() - t)
print("sentiment enricher best-case us/post", round(sum(bs) / len(posts) * 1e6, 1))
