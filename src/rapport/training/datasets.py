"""Readers for the labelled data sets in `../shared/datasets` (see its README).

Each reader returns plain (text, label) lists in Rapport's label names. Only train and
validation splits are read; test splits are held back by the data set's curators.
"""

from __future__ import annotations

import csv
import html
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from rapport.errors import ConfigError

SENTIMENTS = ("negative", "neutral", "positive")
XLMT_LANGUAGES = {
    "arabic": "ar",
    "english": "en",
    "french": "fr",
    "german": "de",
    "hindi": "hi",
    "italian": "it",
    "portuguese": "pt",
    "spanish": "es",
}
EUROPEAN_FILES = {
    "bos": "bs",
    "bul": "bg",
    "hrv": "hr",
    "hun": "hu",
    "pol": "pl",
    "rus": "ru",
    "slk": "sk",
    "slv": "sl",
    "sqi": "sq",
    "srp": "sr",
    "swe": "sv",
}
_EUROPEAN_RECORD = re.compile(r"^(\d+)\t(Positive|Negative)\t(.*)$")
_SEMEVAL_LABELS = {"negative", "neutral", "positive"}


@dataclass
class Examples:
    """Labelled texts, each with its language."""

    texts: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)

    def add(self, texts: list[str], labels: list[str], lang: str) -> None:
        self.texts += texts
        self.labels += labels
        self.langs += [lang] * len(texts)

    def __len__(self) -> int:
        return len(self.texts)


class Datasets:
    """The folder of data sets; every reader names the file it could not read."""

    def __init__(self, root: Path) -> None:
        if not (root / "README.md").is_file():
            raise ConfigError(
                f"{root} does not look like the datasets folder (no README.md); "
                "pass --datasets ../shared/datasets"
            )
        self.root = root

    def path(self, *parts: str) -> Path:
        found = self.root.joinpath(*parts)
        if not found.exists():
            raise ConfigError(f"missing data set file {found}")
        return found

    def lines(self, *parts: str, encoding: str = "utf-8") -> list[str]:
        text = self.path(*parts).read_text(encoding=encoding)
        rows = text.split("\n")
        return rows[:-1] if rows and rows[-1] == "" else rows

    # -- sentiment -------------------------------------------------------------------------
    def xlmt(self, folder: str, split: str) -> tuple[list[str], list[str]]:
        texts = self.lines("xlmt-sentiment", folder, f"{split}_text.txt")
        labels = [
            SENTIMENTS[int(v)] for v in self.lines("xlmt-sentiment", folder, f"{split}_labels.txt")
        ]
        if len(texts) != len(labels):
            raise ConfigError(
                f"xlmt-sentiment/{folder}/{split}: {len(texts)} texts, {len(labels)} labels"
            )
        return texts, labels

    def tweeteval(self, task: str, split: str) -> tuple[list[str], list[str]]:
        texts = self.lines("tweeteval", task, f"{split}_text.txt")
        names = [row.split(None, 1)[-1] for row in self.lines("tweeteval", task, "mapping.txt")]
        labels = [names[int(v)] for v in self.lines("tweeteval", task, f"{split}_labels.txt")]
        return texts, labels

    def semeval(self) -> tuple[list[str], list[str]]:
        texts: list[str] = []
        labels: list[str] = []
        for path in sorted(self.path("semeval-sentiment-en").glob("*.tsv")):
            for row in path.read_text(encoding="utf-8").split("\n"):
                parts = row.split("\t")
                if len(parts) >= 3 and parts[1] in _SEMEVAL_LABELS:
                    texts.append(parts[2])
                    labels.append(parts[1])
        return texts, labels

    def european(self) -> dict[str, tuple[list[str], list[str]]]:
        found: dict[str, tuple[list[str], list[str]]] = {}
        for stem, lang in EUROPEAN_FILES.items():
            texts: list[str] = []
            labels: list[str] = []
            for row in self.lines("twitter-sentiment-15-european-retrieved", stem + ".txt"):
                match = _EUROPEAN_RECORD.match(row)
                if match:
                    texts.append(match.group(3).removeprefix("\\"))
                    labels.append(match.group(2).lower())
                elif texts:  # a tweet with a line break continues on the next row
                    texts[-1] += " " + row
            found[lang] = (texts, labels)
        return found

    def turkish(self) -> tuple[list[str], list[str]]:
        with self.path("turkish-tweetset", "tweetset.csv").open(encoding="cp1254") as handle:
            rows = list(csv.reader(handle))[1:]
        names = {"negatif": "negative", "pozitif": "positive", "notr": "neutral", "nötr": "neutral"}
        pairs = [
            (r[1], names[r[0].strip().lower()])
            for r in rows
            if len(r) > 1 and r[0].strip().lower() in names and r[1].strip()
        ]
        return [t for t, _ in pairs], [lab for _, lab in pairs]

    def weibo(self, split: str) -> tuple[list[str], list[str]]:
        polarity = {
            "happy": "positive",
            "angry": "negative",
            "sad": "negative",
            "fear": "negative",
            "neutral": "neutral",
        }
        texts: list[str] = []
        labels: list[str] = []
        names = (
            ("virus_train.txt",)
            if split == "train"
            else ("usual_eval_labeled.txt", "virus_eval_labeled.txt")
        )
        for name in names:
            with self.path("smp2020-ewect-weibo", name).open(encoding="utf-8-sig") as handle:
                for item in json.load(handle):
                    if item["label"] in polarity and item["content"].strip():
                        texts.append(item["content"])
                        labels.append(polarity[item["label"]])
        return texts, labels

    def sentirueval(self) -> tuple[list[str], list[str]]:
        names = {"1": "positive", "0": "neutral", "-1": "negative"}
        texts: list[str] = []
        labels: list[str] = []
        for path in sorted(self.path("sentirueval-2016").glob("*.xml")):
            for table in ET.parse(path).iter("table"):
                columns = {c.get("name"): (c.text or "").strip() for c in table.iter("column")}
                text = columns.pop("text", "")
                votes = {
                    names[v]
                    for k, v in columns.items()
                    if k not in ("id", "twitid", "date") and v in names
                }
                if text and len(votes) == 1:
                    texts.append(text)
                    labels.append(votes.pop())
        return texts, labels

    def indonesian(self, split: str) -> tuple[list[str], list[str]]:
        name = "train_preprocess.tsv" if split == "train" else "valid_preprocess.tsv"
        pairs = [row.rsplit("\t", 1) for row in self.lines("indonlu-smsa", name) if "\t" in row]
        return [t for t, _ in pairs], [lab.strip() for _, lab in pairs]

    def thai(self) -> tuple[list[str], list[str]]:
        texts: list[str] = []
        labels: list[str] = []
        for stem, label in (
            ("pos", "positive"),
            ("neg", "negative"),
            ("neu", "neutral"),
            ("q", "neutral"),
        ):
            rows = [r for r in self.lines("wisesight-sentiment", stem + ".txt") if r.strip()]
            texts += rows
            labels += [label] * len(rows)
        return texts, labels

    def korean(self) -> tuple[list[str], list[str]]:
        texts: list[str] = []
        labels: list[str] = []
        for path in sorted(self.path("nsmc-raw-subset", "raw").glob("*.json")):
            for item in json.loads(path.read_text(encoding="utf-8")):
                rating = int(item["rating"])
                if item["review"].strip():
                    texts.append(item["review"])
                    labels.append(
                        "negative" if rating <= 4 else "positive" if rating >= 8 else "neutral"
                    )
        return texts, labels

    def dutch(self) -> tuple[list[str], list[str]]:
        rows = read_xlsx_sheet(self.path("dutch-political-tweets", "gold.xlsx"), "gold-polarity")
        header = [h.strip().lower() for h in rows[0]]
        text_at, label_at = header.index("content"), header.index("polarity")
        pairs = [
            (r[text_at], r[label_at].strip().lower())
            for r in rows[1:]
            if len(r) > max(text_at, label_at) and r[label_at].strip().lower() in SENTIMENTS
        ]
        return [t for t, _ in pairs], [lab for _, lab in pairs]

    # -- intent and complaints -------------------------------------------------------------
    def banking77(self) -> tuple[list[str], list[str]]:
        with self.path("banking77", "train.csv").open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        return [r["text"] for r in rows], [r["category"] for r in rows]

    def banking77_intents(self) -> list[str]:
        names: list[str] = json.loads(self.path("banking77", "categories.json").read_text("utf-8"))
        return names

    def complaints(self) -> tuple[list[str], list[str]]:
        # The `domain` column is left out on purpose: two of its values are never complaints,
        # so it would leak the label.
        with self.path("complaints-social-media", "complaints-data.csv").open(
            newline="", encoding="utf-8"
        ) as handle:
            rows = [r for r in csv.reader(handle) if len(r) >= 3 and r[2] in ("0", "1")]
        return [r[1] for r in rows], ["complaint" if r[2] == "1" else "not_complaint" for r in rows]


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def read_xlsx_sheet(path: Path, sheet: str) -> list[list[str]]:
    """Rows of one sheet of an .xlsx file as strings, with the standard library only."""
    with zipfile.ZipFile(path) as book:
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            for item in ET.fromstring(book.read("xl/sharedStrings.xml")).iter(_NS + "si"):
                shared.append("".join(t.text or "" for t in item.iter(_NS + "t")))
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        rel_id = next(
            (s.get(_REL) for s in workbook.iter(_NS + "sheet") if s.get("name") == sheet), None
        )
        if rel_id is None:
            raise ConfigError(f"{path} has no sheet {sheet!r}")
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        target = next(r.get("Target", "") for r in rels if r.get("Id") == rel_id)
        data = ET.fromstring(book.read("xl/" + target.removeprefix("/xl/").removeprefix("xl/")))
    rows: list[list[str]] = []
    for row in data.iter(_NS + "row"):
        cells: list[str] = []
        for cell in row.iter(_NS + "c"):
            column = _column_index(cell.get("r", ""))
            while len(cells) < column:
                cells.append("")
            value = cell.find(_NS + "v")
            text = value.text if value is not None and value.text else ""
            if cell.get("t") == "s" and text:
                text = shared[int(text)]
            elif cell.get("t") == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(_NS + "t"))
            cells.append(text)
        rows.append(cells)
    return rows


def _column_index(reference: str) -> int:
    index = 0
    for char in reference:
        if not char.isalpha():
            break
        index = index * 26 + ord(char.upper()) - 64
    return max(index - 1, 0)


_KEY_NOISE = re.compile(r"(?:https?://|www\.)\S+|\bhttps?\b|[@＠]\w+")
_NON_WORD = re.compile(r"[\W_]+")
_ESCAPED = re.compile(r"\\u([0-9a-fA-F]{4})")


def match_key(text: str) -> str:
    """A key under which the same tweet matches across data sets that normalise differently.

    TweetEval writes `@user` and `http` where SemEval keeps `@handle` and `http://t.co/...`.
    """
    text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = html.unescape(text).replace('\\"', '"')
    text = _KEY_NOISE.sub(" ", text).lower()
    return _NON_WORD.sub("", text)
