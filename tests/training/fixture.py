"""A miniature copy of `../shared/datasets`, written by the tests themselves.

Every reader of `rapport.training.datasets` finds its files here in their published
formats (TSV, CSV in cp1254, JSON, phpMyAdmin XML, xlsx), with made-up texts whose words
carry the label, so that training and evaluation run end to end in seconds.
"""

from __future__ import annotations

import csv
import json
import random
import zipfile
from pathlib import Path

from rapport.training.datasets import EUROPEAN_FILES, XLMT_LANGUAGES

WORDS = {
    "negative": ["awful", "terrible", "worst", "hate", "broken", "angry"],
    "neutral": ["today", "card", "statement", "branch", "update", "monday"],
    "positive": ["great", "love", "thanks", "excellent", "happy", "best"],
}


def sentence(rng: random.Random, label: str, lang: str) -> str:
    words = rng.sample(WORDS[label], 3) + rng.sample(WORDS["neutral"], 2)
    rng.shuffle(words)
    return f"{lang}{rng.randint(0, 9)} " + " ".join(words) + rng.choice(["", "!", " :)", " ..."])


def write_datasets(root: Path, seed: int = 3) -> Path:
    rng = random.Random(seed)
    labels = ["negative", "neutral", "positive"]
    (root / "README.md").parent.mkdir(parents=True, exist_ok=True)
    (root / "README.md").write_text("fixture\n", encoding="utf-8")
    for folder, lang in XLMT_LANGUAGES.items():
        base = root / "xlmt-sentiment" / folder
        base.mkdir(parents=True)
        for split, count in (("train", 36), ("val", 12)):
            picks = [labels[i % 3] for i in range(count)]
            texts = [sentence(rng, y, lang + split) for y in picks]
            (base / f"{split}_text.txt").write_text("\n".join(texts) + "\n", encoding="utf-8")
            codes = [str(labels.index(y)) for y in picks]
            (base / f"{split}_labels.txt").write_text("\n".join(codes) + "\n", encoding="utf-8")
    semeval = root / "semeval-sentiment-en"
    semeval.mkdir()
    rows = [f"{i}\t{labels[i % 3]}\t{sentence(rng, labels[i % 3], 'se')}" for i in range(60)]
    (semeval / "twitter-2013train-A.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    tweeteval = root / "tweeteval"
    sentiment = tweeteval / "sentiment"
    sentiment.mkdir(parents=True)
    picks = [labels[i % 3] for i in range(30)]
    (sentiment / "val_text.txt").write_text(
        "\n".join(sentence(rng, y, "te") for y in picks) + "\n", encoding="utf-8"
    )
    (sentiment / "val_labels.txt").write_text(
        "\n".join(str(labels.index(y)) for y in picks) + "\n", encoding="utf-8"
    )
    (sentiment / "mapping.txt").write_text(
        "0\tnegative\n1\tneutral\n2\tpositive\n", encoding="utf-8"
    )
    # As in the real data, TweetEval's validation tweets also sit in XLM-T's English train
    # split (there with a raw handle and link where TweetEval writes @user and http).
    te_texts = (sentiment / "val_text.txt").read_text(encoding="utf-8").splitlines()
    english = root / "xlmt-sentiment" / "english"
    with (english / "train_text.txt").open("a", encoding="utf-8") as handle:
        handle.writelines(f"@NovaCard {t} https://t.co/x1\n" for t in te_texts[:6])
    with (english / "train_labels.txt").open("a", encoding="utf-8") as handle:
        handle.writelines(f"{labels.index(y)}\n" for y in picks[:6])
    for task in ("emotion", "hate", "irony", "offensive"):
        (tweeteval / task).mkdir()
        (tweeteval / task / "train_text.txt").write_text("some english text\n", encoding="utf-8")
        (tweeteval / task / "train_labels.txt").write_text("0\n", encoding="utf-8")
        (tweeteval / task / "mapping.txt").write_text("0\tsome_label\n", encoding="utf-8")
    european = root / "twitter-sentiment-15-european-retrieved"
    european.mkdir()
    for stem in EUROPEAN_FILES:
        rows = [
            f"{i}\t{'Positive' if i % 2 else 'Negative'}\t"
            + sentence(rng, "positive" if i % 2 else "negative", stem)
            for i in range(24)
        ]
        (european / f"{stem}.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    turkish = root / "turkish-tweetset"
    turkish.mkdir()
    with (turkish / "tweetset.csv").open("w", encoding="cp1254", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Tip", "Paylaşım", "", "", "", ""])
        for i in range(24):
            label = "Pozitif" if i % 2 else "Negatif"
            writer.writerow(
                [label, sentence(rng, "positive" if i % 2 else "negative", "tr"), "", "", "", ""]
            )
    weibo = root / "smp2020-ewect-weibo"
    weibo.mkdir()
    emotions = {"happy": "positive", "angry": "negative", "neutral": "neutral"}
    for name in ("virus_train.txt", "usual_eval_labeled.txt", "virus_eval_labeled.txt"):
        items = [
            {"id": i, "content": sentence(rng, emotions[e], "zh"), "label": e}
            for i, e in enumerate(list(emotions) * 8)
        ]
        (weibo / name).write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8-sig")
    _sentirueval(root / "sentirueval-2016", rng)
    indonlu = root / "indonlu-smsa"
    indonlu.mkdir()
    for name, count in (("train_preprocess.tsv", 36), ("valid_preprocess.tsv", 12)):
        rows = [f"{sentence(rng, labels[i % 3], 'id')}\t{labels[i % 3]}" for i in range(count)]
        (indonlu / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
    thai = root / "wisesight-sentiment"
    thai.mkdir()
    for stem, label in (
        ("pos", "positive"),
        ("neg", "negative"),
        ("neu", "neutral"),
        ("q", "neutral"),
    ):
        rows = [sentence(rng, label, "th") for _ in range(10)]
        (thai / f"{stem}.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    nsmc = root / "nsmc-raw-subset" / "raw"
    nsmc.mkdir(parents=True)
    reviews = [
        {"review": sentence(rng, y, "ko"), "rating": str(r)}
        for y, r in (("negative", 2), ("neutral", 6), ("positive", 9)) * 10
    ]
    (nsmc / "1.json").write_text(json.dumps(reviews, ensure_ascii=False), encoding="utf-8")
    _dutch(root / "dutch-political-tweets", rng)
    _banking(root / "banking77", rng)
    complaints = root / "complaints-social-media"
    complaints.mkdir()
    with (complaints / "complaints-data.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        for i in range(60):
            complaint = i % 2
            text = sentence(rng, "negative" if complaint else "neutral", "@brand")
            writer.writerow([str(i), text, str(complaint), "retail"])
    return root


def _sentirueval(folder: Path, rng: random.Random) -> None:
    folder.mkdir()
    tables = []
    for i in range(24):
        vote = ["-1", "0", "1"][i % 3]
        label = ["negative", "neutral", "positive"][i % 3]
        tables.append(
            f'<table name="banks"><column name="id">{i}</column><column name="twitid">{i}</column>'
            f'<column name="date">0</column><column name="text">{sentence(rng, label, "ru")}'
            f'</column><column name="sberbank">{vote}</column><column name="vtb">NULL</column>'
            "</table>"
        )
    body = '<?xml version="1.0" encoding="utf-8"?><pma_xml_export><database name="x">'
    body += "".join(tables) + "</database></pma_xml_export>"
    (folder / "banks_train.xml").write_text(body, encoding="utf-8")


def _dutch(folder: Path, rng: random.Random) -> None:
    folder.mkdir()
    rows = [["content", "polarity"]] + [
        [sentence(rng, y, "nl"), y] for y in ["negative", "neutral", "positive"] * 8
    ]
    strings: list[str] = []
    cells = []
    for r, row in enumerate(rows, start=1):
        refs = []
        for c, value in enumerate(row):
            strings.append(value)
            refs.append(f'<c r="{"AB"[c]}{r}" t="s"><v>{len(strings) - 1}</v></c>')
        cells.append(f'<row r="{r}">{"".join(refs)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    with zipfile.ZipFile(folder / "gold.xlsx", "w") as book:
        book.writestr("xl/sharedStrings.xml", f"<sst {ns}>{shared}</sst>")
        book.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} {rel}><sheets><sheet name="gold-polarity" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        book.writestr(
            "xl/worksheets/sheet1.xml",
            f"<worksheet {ns}><sheetData>{''.join(cells)}</sheetData></worksheet>",
        )


def _banking(folder: Path, rng: random.Random) -> None:
    from rapport.nlp.intent import BANKING77_INTENTS

    folder.mkdir()
    (folder / "categories.json").write_text(json.dumps(list(BANKING77_INTENTS)), encoding="utf-8")
    with (folder / "train.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "category"])
        for intent in BANKING77_INTENTS:
            words = intent.strip("?").lower().split("_")
            for _ in range(11):
                filler = rng.sample(["please", "help", "my", "the", "why", "how", "can", "i"], 3)
                writer.writerow([" ".join(rng.sample(words + filler, len(words) + 3)), intent])
