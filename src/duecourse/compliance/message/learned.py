"""The learned layer: a linear model over character n-grams and the analyser's own evidence,
one logistic output per code, trained only on the development part of the labelled corpus
(``tools/train_message_model.py``; the weights are the package file ``model.npz``).

It does not judge alone. It may add a code the frames missed only where a part of one of that
code's frames is in the message and the model is confident; it may take away a code the frames
found only where the model is very confident the message does not hold it. The thresholds
(``Thresholds``: one for a message the frames do not flag, one per code for a message they do)
are chosen by cross-validation on the development part (leave one writer's file out).
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

import numpy as np

from duecourse.compliance.message.analyse import REPORTING
from duecourse.compliance.message.codes import SCAMS, VIOLATIONS, Code

#: The model reads at most this many characters of the normalised text; a longer text (not a
#: message but a document or an attack) is judged by the frames alone, in linear time.
MAX_CHARS = 1000
#: Character n-grams of these lengths.
NGRAMS = (1, 2, 3, 4)
MODEL_FILE = "model.npz"
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d")
#: Characters beyond the 16 bits a ``gram_key`` gives one (emoji, rare ideographs): read as one.
_WIDE = re.compile("[\U00010000-\U0010ffff\ufffe\uffff]")
_CJK = re.compile(r"[\u3400-\u9fff]")


def _prepared(text: str) -> str:
    """What the n-grams are read from: the first ``MAX_CHARS`` characters, digits read as
    ``0``, runs of white space as one space, characters beyond 16 bits as U+FFFD."""
    return _WIDE.sub("\ufffd", _DIGITS.sub("0", _SPACES.sub(" ", text[:MAX_CHARS])))


def ngrams(text: str) -> set[str]:
    """The character n-grams of a normalised text (digits read as ``0``, spaces collapsed)."""
    text = _prepared(text)
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


_SHIFT = np.uint64(16)


def _characters(text: str) -> np.ndarray:
    """Each character as a 16-bit number from 1 (0 stands for "no character"; ``_prepared``
    leaves no character beyond U+FFFD)."""
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    capped: np.ndarray = np.minimum(points + np.uint64(1), np.uint64(0xFFFF))
    return capped


def gram_key(gram: str) -> int:
    """An n-gram of up to four characters as one 64-bit number (16 bits a character)."""
    key = 0
    for i, point in enumerate(_characters(gram).tolist()):
        key |= int(point) << (16 * i)
    return key


_SPACE_KEY = np.uint64(gram_key(" "))


def gram_keys(text: str) -> np.ndarray:
    """The distinct n-grams of a normalised text as ``gram_key`` numbers, sorted: ``ngrams``
    computed with whole arrays (the same n-grams, a tenth of the time)."""
    points = _characters(_prepared(text))
    found = []
    for n in NGRAMS:
        count = len(points) - n + 1
        if count <= 0:
            break
        key = points[:count].copy()
        for i in range(1, n):
            key |= points[i : i + count] << (_SHIFT * np.uint64(i))
        found.append(key)
    if not found:
        return np.zeros(0, np.uint64)
    keys: np.ndarray = np.sort(np.concatenate(found))  # distinct below (np.unique is slower)
    distinct: np.ndarray = keys[
        np.concatenate(([True], keys[1:] != keys[:-1])) & (keys != _SPACE_KEY)
    ]
    return distinct


#: A threshold above any probability: nothing is added at it.
NEVER = 2.0


def frames_flag(found: set[Code]) -> bool:
    """Whether the frames found a violation or a scam (the verdict an addition would keep)."""
    return not found.isdisjoint(VIOLATIONS | SCAMS)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where the frames missed a code (and a part of one of its frames is present): ``lift``,
    the probability above which the model adds it to a message the frames flag with no
    violation or scam (the addition changes the verdict, which the corpus score sees);
    ``add``, per code, above which it adds it to a message they already flag (the addition
    changes only the reasons shown, which the score cannot see): a code not in ``add`` is not
    added there. ``drop``: below which a violation or scam code the frames found is taken
    away."""

    add: Mapping[Code, float]
    drop: float
    lift: float = NEVER

    def __post_init__(self) -> None:
        object.__setattr__(self, "add", MappingProxyType(dict(self.add)))  # read-only

    @classmethod
    def uniform(cls, add: float, drop: float) -> Thresholds:
        """The same threshold for every code the model may add, to any message."""
        return cls(dict.fromkeys(ADDABLE, add), drop, add)


@dataclass(frozen=True, slots=True)
class Model:
    """Weights per feature (rows) and code (columns): n-gram rows are scaled by one over the
    square root of the n-grams a text holds, evidence rows count one each."""

    codes: tuple[Code, ...]
    index: dict[str, int]  # feature (an n-gram, or ``ev:`` + an evidence name) -> row
    weights: np.ndarray  # float32, features x codes
    bias: np.ndarray  # float32, codes
    thresholds: Thresholds
    keys: np.ndarray  # the n-gram features as sorted ``gram_key`` numbers
    key_rows: np.ndarray  # and their rows
    columns: np.ndarray  # float64, codes x features (one code's weights are contiguous)

    @classmethod
    def of(
        cls,
        codes: tuple[Code, ...],
        index: dict[str, int],
        weights: np.ndarray,
        bias: np.ndarray,
        thresholds: Thresholds,
    ) -> Model:
        """A model with its n-gram features keyed for ``probabilities``."""
        grams = sorted((gram_key(f), row) for f, row in index.items() if len(f) <= max(NGRAMS))
        keys = np.array([k for k, _ in grams], np.uint64)
        rows = np.array([r for _, r in grams], np.int64)
        columns = np.ascontiguousarray(weights.T, dtype=np.float64)
        return cls(codes, index, weights, bias, thresholds, keys, rows, columns)

    def probabilities(
        self, text: str, evidence: set[str], codes: set[Code] | None = None
    ) -> dict[Code, float]:
        """The model's probability of each code (of ``codes``, or all) for a normalised text
        and its evidence."""
        keys = gram_keys(text)
        at = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        rows = self.key_rows[at[self.keys[at] == keys]] if len(self.keys) else at[:0]
        return self._score(rows, evidence, codes)

    def of_features(self, text_grams: set[str], evidence: set[str]) -> dict[Code, float]:
        """The probability of each code for a text's n-grams and its evidence."""
        index = self.index
        rows = [r for g in text_grams if (r := index.get(g)) is not None]
        return self._score(np.array(rows, np.int64), evidence, None)

    def _score(
        self, grams: np.ndarray, evidence: set[str], codes: set[Code] | None
    ) -> dict[Code, float]:
        index = self.index
        extra = np.array([r for e in evidence if (r := index.get("ev:" + e)) is not None], np.int64)
        scale = 1 / np.sqrt(len(grams)) if len(grams) else 0.0
        probs = {}
        for j, code in enumerate(self.codes):
            if codes is not None and code not in codes:
                continue
            column = self.columns[j]
            score = float(self.bias[j]) + column[grams].sum() * scale + column[extra].sum()
            probs[code] = 1.0 / (1.0 + math.exp(-score))
        return probs


#: Codes the model may add: violations and the scams judged by words (links are judged by the
#: link rules alone; the neutral signals gained nothing in cross-validation).
ADDABLE = VIOLATIONS | {Code.UNOFFICIAL_PAYMENT_CHANNEL, Code.CREDIT_REPAIR_SCAM}
#: Categories of lawful context (``lexicon.yaml``): a message holding one of these gets no code
#: from the model. The categories that make reported speech (a warning, a right, a debunking, a
#: complaint: ``analyse.REPORTING``) and a negation too: the frames judge a negation only in the
#: clause before a finding, but the model reads the message whole and cannot tell what a
#: negation denies (「我们不会上门」), so it adds nothing where one stands.
LAWFUL_CONTEXT = REPORTING | {"negation"}
#: Categories of a lawful payment or credit-report notice (the lender's or the court's own
#: account, a true statement that a record is reported, kept or expires, a service that says it
#: removes nothing): a message holding one gets no scam code from the model.
LAWFUL_NOTICE = frozenset(
    {"official_account", "credit_fact", "record_expiry", "lawful_relief", "disclaims_removal"}
)
#: Categories of lawful context for one code: a fee refunded (``fee_refund``) is no fee asked, a
#: contact the debtor authorised (``authorised_contact``) no third party, a case handed to the
#: police (``police_referral``) names them as someone else, not as the sender; a message holding one
#: gets that code from the frames alone, never from the model.
LAWFUL_FOR = {
    "fee_refund": frozenset({Code.EXTRA_FEE}),
    "authorised_contact": frozenset({Code.THIRD_PARTY_DISCLOSURE}),
    "police_referral": frozenset({Code.IMPERSONATION}),
}


def candidates(
    found: set[Code], partial: set[Code], context: bool, thresholds: Thresholds
) -> tuple[set[Code], set[Code]]:
    """The codes the model could add (part of one of their frames present, no lawful context)
    and take away (found violations and scams, when ``drop`` can be reached at all): when both
    are empty the model is not asked."""
    allowed = thresholds.add.keys() if frames_flag(found) else ADDABLE
    may_add = set() if context else (partial & ADDABLE & allowed) - found
    may_drop = found & (VIOLATIONS | SCAMS) if thresholds.drop > 0 else set()
    return may_add, may_drop


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
    may_add, may_drop = candidates(found, partial, context, thresholds)
    flagged = frames_flag(found)
    added = {
        c
        for c in may_add
        if probs.get(c, 0.0) >= (thresholds.add[c] if flagged else thresholds.lift)
    }
    dropped = {c for c in may_drop if probs.get(c, 1.0) <= thresholds.drop}
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
        add=np.array([model.thresholds.add.get(c, NEVER) for c in model.codes], np.float64),
        drop=np.array(model.thresholds.drop, np.float64),
        lift=np.array(model.thresholds.lift, np.float64),
    )
    return buffer.getvalue()


def read(data: bytes) -> Model:
    with np.load(io.BytesIO(data), allow_pickle=False) as saved:
        codes = tuple(Code(str(c)) for c in saved["codes"])
        add = {c: float(t) for c, t in zip(codes, saved["add"], strict=True) if t <= 1}
        return Model.of(
            codes,
            {str(f): i for i, f in enumerate(saved["features"])},
            saved["weights"].astype(np.float32),
            saved["bias"].astype(np.float32),
            Thresholds(add, float(saved["drop"]), float(saved["lift"])),
        )


@cache
def bundled() -> Model | None:
    """The model shipped with the package, or ``None`` when it has not been built."""
    path = resources.files("duecourse.compliance.message").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return read(path.read_bytes())
