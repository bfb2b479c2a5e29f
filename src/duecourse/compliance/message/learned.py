"""The learned layer: a linear model over character n-grams and the analyser's own evidence,
one logistic output per code, trained only on the development part of the labelled corpus
(``tools/train_message_model.py``; the weights are the package file ``model.npz``).

It does not judge alone. It may add a code the frames missed only where a part of one of that
code's frames is in the message and the model is confident; it may take away a code the frames
found only where the model is very confident the message does not hold it. The thresholds are
chosen by cross-validation on the development part (leave one writer's file out).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from duecourse.compliance.message.codes import SCAMS, VIOLATIONS, Code

#: The model reads at most this many characters of the normalised text; a longer text (not a
#: message but a document or an attack) is judged by the frames alone, in linear time.
MAX_CHARS = 1000
#: Character n-grams of these lengths.
NGRAMS = (1, 2, 3, 4)
MODEL_FILE = "model.npz"
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d")
_CJK = re.compile(r"[\u3400-\u9fff]")


def ngrams(text: str) -> set[str]:
    """The character n-grams of a normalised text (digits read as ``0``, spaces collapsed)."""
    text = _DIGITS.sub("0", _SPACES.sub(" ", text[:MAX_CHARS]))
    grams: set[str] = set()
    for n in NGRAMS:
        grams.update(text[i : i + n] for i in range(len(text) - n + 1))
    grams.discard(" ")
    return grams


def evidence_features(
    found: Iterable[Code], present: Iterable[str], excused: Iterable[Code], text: str
) -> set[str]:
    """The analyser's evidence as named features: codes its frames found, categories of words
    present, codes whose frame stood complete but was excused (negated, warned, quoted), and
    the language."""
    names = {f"found:{c.value}" for c in found}
    names |= {f"cat:{c}" for c in present}
    names |= {f"excused:{c.value}" for c in excused}
    names.add("lang:zh" if _CJK.search(text[:MAX_CHARS]) else "lang:en")
    return names


@dataclass(frozen=True, slots=True)
class Thresholds:
    """``add``: the probability above which a code the frames missed is added (where a part of
    one of its frames is present); ``drop``: below which a violation or scam code the frames
    found is taken away."""

    add: float
    drop: float


@dataclass(frozen=True, slots=True)
class Model:
    """Weights per feature (rows) and code (columns): n-gram rows are scaled by one over the
    square root of the n-grams a text holds, evidence rows count one each."""

    codes: tuple[Code, ...]
    index: dict[str, int]  # feature (an n-gram, or ``ev:`` + an evidence name) -> row
    weights: np.ndarray  # float32, features x codes
    bias: np.ndarray  # float32, codes
    thresholds: Thresholds

    def probabilities(self, text: str, evidence: set[str]) -> dict[Code, float]:
        """The model's probability of each code for a normalised text and its evidence."""
        return self.of_features(ngrams(text), evidence)

    def of_features(self, text_grams: set[str], evidence: set[str]) -> dict[Code, float]:
        """The probability of each code for a text's n-grams and its evidence."""
        index = self.index
        grams = [r for g in text_grams if (r := index.get(g)) is not None]
        extra = [r for e in evidence if (r := index.get("ev:" + e)) is not None]
        score = self.bias.astype(np.float64)
        if grams:
            score = score + self.weights[grams].sum(axis=0) / np.sqrt(len(grams))
        if extra:
            score = score + self.weights[extra].sum(axis=0)
        probs = 1.0 / (1.0 + np.exp(-score))
        return {code: float(p) for code, p in zip(self.codes, probs, strict=True)}


#: Codes the model may add: violations and the scams judged by words (links are judged by the
#: link rules alone; the neutral signals gained nothing in cross-validation).
ADDABLE = VIOLATIONS | {Code.UNOFFICIAL_PAYMENT_CHANNEL, Code.CREDIT_REPAIR_SCAM}
#: Categories of lawful context (``lexicon.yaml``): a message holding one of these, a warning, a
#: right, a debunking, a complaint or a negation, gets no code from the model.
LAWFUL_CONTEXT = frozenset({"warning", "rights", "debunk", "complaint", "negation"})


def adjust(
    found: set[Code],
    probs: dict[Code, float],
    partial: set[Code],
    context: bool,
    thresholds: Thresholds,
) -> tuple[set[Code], set[Code]]:
    """The codes to add and to take away: add a code the frames missed when part of one of its
    frames is present (``partial``), the message holds no lawful context and the model is
    confident; take away a violation or scam code the frames found when the model is very
    confident it is not there."""
    added = (
        set()
        if context
        else {c for c in (partial & ADDABLE) - found if probs.get(c, 0.0) >= thresholds.add}
    )
    dropped = {c for c in found & (VIOLATIONS | SCAMS) if probs.get(c, 1.0) <= thresholds.drop}
    return added, dropped


def save(model: Model) -> bytes:
    """The model as the bytes of ``model.npz`` (no pickled objects)."""
    features = [""] * len(model.index)
    for feature, row in model.index.items():
        features[row] = feature
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        codes=np.array([c.value for c in model.codes]),
        features=np.array(features),
        weights=model.weights.astype(np.float16),
        bias=model.bias.astype(np.float32),
        thresholds=np.array([model.thresholds.add, model.thresholds.drop], np.float64),
    )
    return buffer.getvalue()


def read(data: bytes) -> Model:
    with np.load(io.BytesIO(data), allow_pickle=False) as saved:
        add, drop = (float(t) for t in saved["thresholds"])
        return Model(
            tuple(Code(str(c)) for c in saved["codes"]),
            {str(f): i for i, f in enumerate(saved["features"])},
            saved["weights"].astype(np.float32),
            saved["bias"].astype(np.float32),
            Thresholds(add, drop),
        )


@cache
def bundled() -> Model | None:
    """The model shipped with the package, or ``None`` when it has not been built."""
    path = resources.files("duecourse.compliance.message").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return read(path.read_bytes())
