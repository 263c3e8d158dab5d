"""`rapport train`: rebuild every shipped model from the labelled data sets, seeded.

Every evaluation split is kept out of every training set by text key, because the data
sets overlap: TweetEval's sentiment validation tweets also sit in SemEval and in XLM-T's
English training split.
"""

from __future__ import annotations

import json
import random
import time
import zlib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from rapport.nlp.english import EnglishHead, english_counts, tfidf
from rapport.nlp.extract import features_for
from rapport.nlp.features import DEFAULT_SPEC, normalise_batch, with_group_copies
from rapport.nlp.language import SCRIPTS, script_counts
from rapport.nlp.linear import LinearHead
from rapport.training.datasets import XLMT_LANGUAGES, Datasets, Examples, match_key
from rapport.training.fit import SEED, Recipe, compact, fit_head, fit_matrix

LANGUAGE_CAP = 6000
SENTIMENT_CAP = 6000
LANGUAGE_RECIPE = Recipe(algorithm="sgd", c=1e-6, balanced=False)
SENTIMENT_RECIPE = Recipe(algorithm="svm", c=0.3, balanced=True)
INTENT_RECIPE = Recipe(algorithm="svm", c=1.0, balanced=False, min_df=2, idf=True)
COMPLAINT_RECIPE = Recipe(algorithm="svm", c=0.3, balanced=True, idf=True)
# English sentiment: its own features (`nlp/english.py`), columns seen in two texts or more.
ENGLISH_RECIPE = Recipe(algorithm="logistic", c=1.0, balanced=True, min_df=2, idf=True)
ENGLISH_BITS = 20
ENGLISH_BLOCK_WEIGHTS = (1.0, 1.0)  # char, word
Log = Callable[[str], None]


def held_out_keys(data: Datasets) -> set[str]:
    """Keys of every validation text that evaluation uses; no training set may contain them."""
    keys = {match_key(t) for t in data.tweeteval("sentiment", "val")[0]}
    for _, (texts, _) in sentiment_sources(data, "val"):
        keys |= {match_key(t) for t in texts}
    keys.discard("")
    return keys


def _capped(
    texts: list[str], labels: list[str], cap: int, rng: random.Random
) -> tuple[list[str], list[str]]:
    order = list(range(len(texts)))
    rng.shuffle(order)
    order = order[:cap]
    return [texts[i] for i in order], [labels[i] for i in order]


def in_holdout(text: str) -> bool:
    """A fixed tenth of the texts of sources that have no validation split of their own."""
    return zlib.crc32(match_key(text).encode()) % 10 == 0


def _split(pair: tuple[list[str], list[str]], held: bool) -> tuple[list[str], list[str]]:
    kept = [(t, y) for t, y in zip(*pair, strict=True) if in_holdout(t) == held]
    return [t for t, _ in kept], [y for _, y in kept]


def sentiment_sources(data: Datasets, split: str) -> list[tuple[str, tuple[list[str], list[str]]]]:
    """(language, (texts, labels)) for the "train" or the "val" side of every sentiment source.

    XLM-T, IndoNLU and SMP2020 have validation splits; the other sources without one are
    split by text key, a tenth kept aside for validation.
    """
    held = split == "val"
    found = [(lang, data.xlmt(folder, split)) for folder, lang in XLMT_LANGUAGES.items()]
    found.append(("id", data.indonesian(split)))
    found.append(("zh", data.weibo(split)))
    if not held:
        found.append(("en", data.semeval()))
    for lang, pair in data.european().items():
        found.append((lang, _split(pair, held)))
    for lang, reader in (
        ("tr", data.turkish),
        ("ru", data.sentirueval),
        ("th", data.thai),
        ("ko", data.korean),
        ("nl", data.dutch),
    ):
        found.append((lang, _split(reader(), held)))
    return found


def sentiment_examples(data: Datasets, held_out: set[str]) -> Examples:
    """Every labelled sentiment source, capped per source so no language drowns the rest."""
    rng = random.Random(SEED)
    examples = Examples()
    for lang, (texts, labels) in sentiment_sources(data, "train"):
        kept = [(t, y) for t, y in zip(texts, labels, strict=True) if match_key(t) not in held_out]
        cap = 10**9 if lang == "en" else SENTIMENT_CAP
        chosen = _capped([t for t, _ in kept], [y for _, y in kept], cap, rng)
        examples.add(*chosen, lang)
    return examples


def english_examples(data: Datasets, held_out: set[str]) -> tuple[list[str], list[str]]:
    """English sentiment texts (XLM-T English train, then SemEval), held-out keys dropped,
    each text key once."""
    seen = set(held_out)
    texts: list[str] = []
    labels: list[str] = []
    for lang, (found, truth) in sentiment_sources(data, "train"):
        if lang != "en":
            continue
        for text, label in zip(found, truth, strict=True):
            key = match_key(text)
            if key in seen:
                continue
            seen.add(key)
            texts.append(text)
            labels.append(label)
    return texts, labels


def language_examples(data: Datasets, held_out: set[str]) -> Examples:
    """Texts in each language, taken from every data set whose language is known."""
    by_lang: dict[str, list[str]] = {}
    for texts, lang in _language_sources(data):
        by_lang.setdefault(lang, []).extend(t for t in texts if match_key(t) not in held_out)
    rng = random.Random(SEED)
    examples = Examples()
    for lang in sorted(by_lang):
        texts = by_lang[lang]
        rng.shuffle(texts)
        examples.add(texts[:LANGUAGE_CAP], [lang] * min(len(texts), LANGUAGE_CAP), lang)
    return examples


def _language_sources(data: Datasets) -> list[tuple[list[str], str]]:
    sources = [(data.xlmt(folder, "train")[0], lang) for folder, lang in XLMT_LANGUAGES.items()]
    sources.append((data.semeval()[0], "en"))
    sources += [(pair[0], lang) for lang, pair in data.european().items()]
    sources += [
        (data.turkish()[0], "tr"),
        (data.weibo("train")[0], "zh"),
        (data.sentirueval()[0], "ru"),
        (data.indonesian("train")[0], "id"),
        (data.thai()[0], "th"),
        (data.korean()[0], "ko"),
        (data.dutch()[0], "nl"),
        (data.complaints()[0], "en"),
    ]
    for task in ("emotion", "hate", "irony", "offensive"):
        sources.append((data.tweeteval(task, "train")[0], "en"))
    return sources


def written_in(texts: list[str], langs: list[str]) -> dict[str, list[str]]:
    """The scripts each language's training texts are mostly written in (over 5% of them)."""
    counts = script_counts(texts)
    dominant = counts.argmax(axis=1)
    per_lang: dict[str, Counter[str]] = {}
    for lang, script, letters in zip(
        langs, dominant.tolist(), counts.sum(axis=1).tolist(), strict=True
    ):
        if letters:
            per_lang.setdefault(lang, Counter())[SCRIPTS[script]] += 1
    return {
        lang: sorted(s for s, n in seen.items() if n >= 0.05 * sum(seen.values()))
        for lang, seen in per_lang.items()
    }


def train_language(data: Datasets, held_out: set[str], log: Log) -> LinearHead:
    examples = language_examples(data, held_out)
    log(f"language: {len(examples)} texts in {len(set(examples.langs))} languages")
    features = features_for(examples.texts, DEFAULT_SPEC)
    return fit_head(
        "language",
        features,
        examples.labels,
        LANGUAGE_RECIPE,
        DEFAULT_SPEC,
        fold_bits=16,
        meta={"scripts": written_in(examples.texts, examples.langs), "examples": len(examples)},
    )


# Languages whose only labelled data is far from customer care: they train the shared weights
# but get no per-language copy. The Turkish set pits profanity against praise, and its own
# copy taught the model that a Turkish complaint ("berbat bir hizmet, rezalet") is positive.
SHARED_ONLY = frozenset({"tr"})


def sentiment_groups(langs: list[str]) -> dict[str, int]:
    """Group id per language for per-language feature copies (0, no copy, for SHARED_ONLY)."""
    kept = sorted(set(langs) - SHARED_ONLY)
    return {lang: i + 1 for i, lang in enumerate(kept)}


def train_sentiment(data: Datasets, held_out: set[str], log: Log) -> LinearHead:
    examples = sentiment_examples(data, held_out)
    groups = sentiment_groups(examples.langs)
    log(f"sentiment: {len(examples)} texts in {len(set(examples.langs))} languages")
    features = features_for(examples.texts, DEFAULT_SPEC)
    features = with_group_copies(
        features, np.array([groups.get(lang, 0) for lang in examples.langs]), DEFAULT_SPEC.bits
    )
    return fit_head(
        "sentiment",
        features,
        examples.labels,
        SENTIMENT_RECIPE,
        DEFAULT_SPEC,
        group_copies=True,
        meta={"groups": groups, "examples": dict(Counter(examples.langs))},
    )


def train_sentiment_en(data: Datasets, held_out: set[str], log: Log) -> EnglishHead:
    """The English head: TF-IDF features fitted on English tweets, every held-out key dropped."""
    texts, labels = english_examples(data, held_out)
    log(f"sentiment_en: {len(texts)} English tweets")
    return fit_english(texts, labels, ENGLISH_RECIPE, ENGLISH_BITS, ENGLISH_BLOCK_WEIGHTS)


def fit_english(
    texts: list[str],
    labels: list[str],
    recipe: Recipe,
    bits: int,
    block_weights: tuple[float, float],
) -> EnglishHead:
    """Count, keep columns in `recipe.min_df` texts or more, weigh by idf, fit and calibrate."""
    counts = english_counts(normalise_batch(texts), len(texts), bits)
    columns, kept, df = compact(counts, recipe.min_df)
    # sklearn's smoothed idf, as TfidfTransformer computes it.
    idf = (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)
    first_word = int(np.searchsorted(columns, 1 << bits))
    matrix = tfidf(kept, idf, first_word, np.asarray(block_weights, np.float32))
    fitted, classes, weights, bias, temperature = fit_matrix(
        matrix, labels, Recipe(recipe.algorithm, recipe.c, recipe.balanced)
    )
    full = np.zeros((len(columns), len(classes)), dtype=np.float32)
    full[fitted] = weights
    return EnglishHead(
        classes=classes,
        columns=columns,
        idf=idf,
        weights=full,
        bias=bias,
        bits=bits,
        block_weights=block_weights,
        temperature=temperature,
        meta={"recipe": vars(recipe), "examples": len(texts)},
    )


def train_intent(data: Datasets, log: Log) -> LinearHead:
    texts, labels = data.banking77()
    log(f"intent: {len(texts)} Banking77 requests, {len(set(labels))} intents")
    return fit_head(
        "intent",
        features_for(texts, DEFAULT_SPEC),
        labels,
        INTENT_RECIPE,
        DEFAULT_SPEC,
        fold_bits=18,
        meta={"examples": len(texts)},
    )


def train_complaint(data: Datasets, log: Log) -> LinearHead:
    texts, labels = data.complaints()
    log(f"complaint: {len(texts)} tweets to brands")
    return fit_head(
        "complaint",
        features_for(texts, DEFAULT_SPEC),
        labels,
        COMPLAINT_RECIPE,
        DEFAULT_SPEC,
        meta={"examples": len(texts)},
    )


def train_all(
    data: Datasets, out_dir: Path, only: tuple[str, ...] = (), log: Log = print
) -> dict[str, Any]:
    """Fit the chosen (default: all) models and write them, with a card, into `out_dir`."""
    held_out = held_out_keys(data)
    trainers: dict[str, Callable[[], LinearHead | EnglishHead]] = {
        "language": lambda: train_language(data, held_out, log),
        "sentiment": lambda: train_sentiment(data, held_out, log),
        "sentiment_en": lambda: train_sentiment_en(data, held_out, log),
        "intent": lambda: train_intent(data, log),
        "complaint": lambda: train_complaint(data, log),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    card_path = out_dir / "card.json"
    card: dict[str, Any] = json.loads(card_path.read_text()) if card_path.is_file() else {}
    for name, train in trainers.items():
        if only and name not in only:
            continue
        started = time.perf_counter()
        head = train()
        path = out_dir / f"{name}.npz"
        head.save(path)
        seconds = time.perf_counter() - started
        log(
            f"{name}: {len(head.classes)} classes, {len(head.columns)} columns, "
            f"{path.stat().st_size / 1e6:.1f} MB, temperature {head.temperature:.3f}, "
            f"{seconds:.0f} s"
        )
        card[name] = {
            "classes": len(head.classes),
            "columns": len(head.columns),
            "bytes": path.stat().st_size,
            "temperature": round(head.temperature, 4),
            "recipe": head.meta.get("recipe"),
            "examples": head.meta.get("examples"),
            "seconds": round(seconds),
        }
    card_path.write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return card
