"""Round 3 sweep: the runtime English head fitted several ways, scored on TweetEval val.

usage: OMP_NUM_THREADS=1 python research/issue3/exp3/en_head.py DATASETS [config ...]
config: algorithm:C:charweight, e.g. svm:0.1:1 or logistic:1:1. Seeded (13).
(The logged sweep ran an earlier copy of this script, before `fit_english` existed; this
one goes through `rapport.training.train.fit_english`, so it also fits a temperature.)
"""

import sys
import time
from pathlib import Path

from rapport.nlp.features import normalise_batch
from rapport.training.datasets import Datasets
from rapport.training.evaluate import macro_recall
from rapport.training.fit import Recipe
from rapport.training.train import ENGLISH_BITS, english_examples, fit_english, held_out_keys

data = Datasets(Path(sys.argv[1]))
configs = sys.argv[2:] or ["svm:0.1:1", "logistic:1:1"]
texts, labels = english_examples(data, held_out_keys(data))
print("train", len(texts), {c: labels.count(c) for c in sorted(set(labels))}, flush=True)
te_texts, te_truth = data.tweeteval("sentiment", "val")
for config in configs:
    algorithm, c, char_weight = config.split(":")
    started = time.time()
    recipe = Recipe(algorithm=algorithm, c=float(c), balanced=True, min_df=2, idf=True)  # type: ignore[arg-type]
    head = fit_english(texts, labels, recipe, ENGLISH_BITS, (float(char_weight), 1.0))
    probs = head.probabilities(normalise_batch(te_texts), len(te_texts))
    predicted = [head.classes[i] for i in probs.argmax(axis=1)]
    print(config, f"macro recall {macro_recall(te_truth, predicted):.4f}",
          f"{time.time() - started:.0f}s", flush=True)
