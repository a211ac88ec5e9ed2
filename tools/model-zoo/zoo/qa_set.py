"""A reading-comprehension set built from Multi30k task 2 (five independent English captions per image): rule-based
questions generated from one caption, answered by an exact span of the other captions of the same image, in the
shape of SQuAD (Rajpurkar et al. 2016, https://rajpurkar.github.io/SQuAD-explorer/) as tools/eval/src/qa-set.ts
reads it: {"id", "question", "context", "answers": [{"text", "start"}]}, start a character offset into context.

Question types (a caption is first split into words and parsed with word lists and two lexicons learned from the
training captions, see `Lexicon`):
- how many:  "Two men ... "              → "How many men are there?"          answer: the number before "men"
- colour:    "... a blue shirt ..."      → "What colour is the shirt?"         answer: the colour before "shirt"
- doing:     "A little girl is climbing" → "What is the little girl doing?"   answer: the "climbing ..." phrase
- what:      "A man is riding a bike"    → "What is the man riding?"           answer: the noun phrase after "riding"
- who:       "A girl is climbing stairs" → "Who is climbing stairs?"           answer: the subject before "climbing"
- where:     "... standing in a yard."   → "Where are the two men standing?"  answer: "in the yard" (same place noun)
The answer must agree with the question's caption (same number, a shared colour word, the same verb, the same place
noun); a question whose context also holds a disagreeing candidate (two men and three men) is dropped as ambiguous.
Every agreeing span of the context is a gold answer. The lexical-overlap baseline of the model card is
`overlap_baseline` at the end of this file.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

WORD_PATTERN = re.compile(r"\w+(?:-\w+)*|[^\w\s]")  # hyphenated compounds stay one word ("t-shirt")

ARTICLES = {"a", "an", "the", "some"}
POSSESSIVES = {"his", "her", "their", "its", "my", "our", "your"}
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12}
QUANTIFIERS = {"several", "many", "few", "multiple", "numerous", "other", "another", "both"}
DETERMINERS = ARTICLES | POSSESSIVES | set(NUMBERS) | QUANTIFIERS
COLOURS = {"red", "blue", "white", "black", "green", "yellow", "orange", "pink", "purple", "brown", "gray", "grey",
           "tan", "silver", "gold", "golden", "maroon", "beige", "navy", "teal", "turquoise", "violet", "blond",
           "blonde"}
COLOUR_MODIFIERS = {"light", "dark", "bright", "pale", "neon"}
AUXILIARIES = {"is", "are"}
PLACE_PREPOSITIONS = {"in", "on", "at", "near", "by", "under", "beside", "behind", "inside", "outside", "along",
                      "across", "through", "into", "onto", "over", "around", "underneath", "beneath", "between",
                      "against", "toward", "towards", "down", "up", "past", "off", "from", "next", "atop"}
CLAUSE_WORDS = {"and", "or", "but", "with", "while", "as", "who", "that", "which", "where", "when", "because",
                "during", "after", "before", "for", "of", "to", "than", "like", "wearing"}
STOP_WORDS = PLACE_PREPOSITIONS | CLAUSE_WORDS | AUXILIARIES | {"was", "were", "be", "there", "here"}
PERSONS = {"man", "men", "woman", "women", "boy", "boys", "girl", "girls", "child", "children", "kid", "kids",
           "person", "people", "guy", "guys", "lady", "ladies", "gentleman", "gentlemen", "toddler", "toddlers",
           "baby", "babies", "worker", "workers", "player", "players", "adult", "adults", "teenager", "teenagers",
           "female", "females", "male", "males", "couple", "family", "crowd", "group", "team", "friends", "student",
           "students", "musician", "musicians", "individual", "individuals", "biker", "bikers", "cyclist",
           "cyclists", "athlete", "athletes", "dancer", "dancers", "singer", "vendor", "skier", "surfer",
           "skateboarder", "rider", "runner", "runners", "policeman", "officer", "officers", "soldier", "soldiers",
           "chef", "cook", "band", "audience", "spectators", "tourists", "mother", "father", "son", "daughter",
           "bride", "groom", "performer", "performers", "climber", "swimmer", "teen", "teens", "youth", "boxer",
           "wrestler", "wrestlers", "photographer", "artist", "doctor", "nurse", "police", "fans", "spectator"}
NOT_PLACES = {  # nouns after a place preposition that say what someone wears, holds or is next to, not where
    "shirt", "shirts", "t-shirt", "t-shirts", "hat", "hats", "jacket", "jackets", "dress", "dresses", "coat", "coats",
    "pants", "jeans", "shorts", "uniform", "uniforms", "helmet", "helmets", "vest", "vests", "outfit", "outfits",
    "suit", "suits", "cap", "caps", "sweater", "sweatshirt", "skirt", "jersey", "jerseys", "scarf", "costume",
    "costumes", "clothes", "clothing", "top", "tops", "hoodie", "apron", "gear", "glasses", "sunglasses", "boots",
    "shoes", "gloves", "hand", "hands", "arm", "arms", "head", "mouth", "face", "back", "shoulder", "shoulders",
    "lap", "leg", "legs", "feet", "foot", "hair", "nose", "eyes", "eye", "ear", "ears", "neck", "chest", "knees",
    "fingers", "teeth", "lips", "side", "middle", "edge", "center", "corner", "bottom", "way", "one", "other",
    "each", "front", "camera", "picture", "phone", "blouse", "bikini",
    "swimsuit", "overalls", "attire", "robe", "robes", "mask", "tank", "tie", "backpack",
}
OF_NOUNS = {"front", "top", "middle", "edge", "side", "center", "corner", "bottom", "end", "base", "back", "body"}
PLURAL_PERSONS = {"men", "women", "people", "children", "kids", "ladies", "gentlemen", "babies", "police"}
GROUP_NOUNS = {"group", "crowd", "team", "couple", "family", "band", "audience", "bunch", "pair", "line"}
CLAUSE_BREAKS = {"while", "as", "who", "that", "which", "where", "when", "because", ",", ";", "."}
VERB_LEADS = AUXILIARIES | PLACE_PREPOSITIONS | {"with", "wearing"}  # what may follow a subject before its verb
MAX_VERB_DISTANCE = 8
MAX_PHRASE_WORDS = 6
QUESTION_TYPES = ("how many", "colour", "doing", "what", "who", "where")


@dataclass(frozen=True)
class Word:
    """A word of a caption: lowercased text and [start, end) character offsets into the original string."""

    text: str
    start: int
    end: int


def split_words(text: str) -> list[Word]:
    return [Word(match.group().lower(), match.start(), match.end()) for match in WORD_PATTERN.finditer(text)]


def is_alphabetic(word: Word) -> bool:
    return word.text.replace("-", "").isalpha()


@dataclass
class Lexicon:
    """Open-class words learned from the training captions.

    nouns: words seen ≥ 5 times that follow a determiner in ≥ 20% and precede a closed-class word or punctuation in
    ≥ 50% of their occurrences ("dog": "a dog is", "the dog ."; adjectives precede nouns, verbs follow them).
    ing_verbs: "-ing" words seen after "is" / "are" ≥ 3 times and at least as often as after a determiner
    ("climbing" is a verb; "building", "clothing" are nouns).
    """

    nouns: frozenset[str]
    ing_verbs: frozenset[str]

    @classmethod
    def learn(cls, captions: list[str]) -> "Lexicon":
        total, after_determiner, before_closed, after_auxiliary = Counter(), Counter(), Counter(), Counter()
        for caption in captions:
            words = [word.text for word in split_words(caption)]
            for index, word in enumerate(words):
                previous = words[index - 1] if index > 0 else ""
                following = words[index + 1] if index + 1 < len(words) else "."
                total[word] += 1
                after_determiner[word] += previous in DETERMINERS
                before_closed[word] += following in STOP_WORDS or not following[0].isalnum()
                after_auxiliary[word] += previous in AUXILIARIES and word.endswith("ing")
        ing_verbs = {word for word, count in after_auxiliary.items() if count >= 3 and count >= after_determiner[word]}
        closed = STOP_WORDS | DETERMINERS | COLOURS | COLOUR_MODIFIERS
        nouns = {
            word for word, count in total.items()
            if count >= 5 and word.replace("-", "").isalpha() and word not in closed and word not in ing_verbs
            and after_determiner[word] >= 0.2 * count and before_closed[word] >= 0.5 * count
        }
        return cls(frozenset(nouns), frozenset(ing_verbs))


@dataclass
class Phrase:
    """Words [first, last] of a caption (inclusive) and the index of its head word."""

    first: int
    last: int
    head: int


@dataclass
class Clause:
    """What the rules read from one caption. Indices are into its word list; None where absent."""

    words: list[Word]
    subject: Phrase | None
    plural: bool
    verb: int | None
    verb_phrase_end: int | None  # last word of "climbing the stairs" (the doing answer)
    object: Phrase | None
    places: list[Phrase]  # prepositional phrases of place, headed by their place noun


def noun_phrase(words: list[Word], first: int, lexicon: Lexicon) -> Phrase | None:
    """determiner? modifiers* noun+ starting at `first`: the head is the last noun of the first run of nouns."""
    index = first
    if index < len(words) and words[index].text in DETERMINERS:
        index += 1
    while index < len(words) and is_alphabetic(words[index]) and words[index].text not in STOP_WORDS:
        if words[index].text in lexicon.nouns:
            head = index
            while head + 1 < len(words) and words[head + 1].text in lexicon.nouns:
                head += 1
            return Phrase(first, head, head)
        if words[index].text in lexicon.ing_verbs or index - first >= 4:
            return None
        index += 1
    return None


def is_plural(words: list[Word], subject: Phrase, auxiliary: str | None) -> bool:
    if auxiliary is not None:
        return auxiliary == "are"
    head = words[subject.head].text
    if head in GROUP_NOUNS:
        return False
    counted = any(words[index].text in NUMBERS or words[index].text in {"several", "many", "both", "multiple"}
                  for index in range(subject.first, subject.head))
    return counted or head in PLURAL_PERSONS or (head.endswith("s") and not head.endswith("ss"))


def parse(caption: str, lexicon: Lexicon) -> Clause:
    """Subject (the caption's first noun phrase), its main -ing verb (right after the subject, its "is" / "are", or
    the prepositional or "with" phrases that describe it), and the places of the main clause (before a clause word
    or a second -ing verb)."""
    words = split_words(caption)
    subject = noun_phrase(words, 0, lexicon)
    verb, auxiliary = None, None
    if subject is not None and subject.last + 1 < len(words) and (
        words[subject.last + 1].text in VERB_LEADS or words[subject.last + 1].text in lexicon.ing_verbs
    ):
        for index in range(subject.last + 1, min(len(words), subject.last + 1 + MAX_VERB_DISTANCE)):
            text = words[index].text
            if text in CLAUSE_BREAKS:
                break
            if text in lexicon.ing_verbs and text != "wearing":
                verb = index
                auxiliary = words[index - 1].text if words[index - 1].text in AUXILIARIES else None
                break
    plural = subject is not None and is_plural(words, subject, auxiliary)
    verb_phrase_end = None if verb is None else phrase_end(words, verb)
    object_phrase = None if verb is None else noun_phrase(words, verb + 1, lexicon)
    if object_phrase is not None and words[verb + 1].text not in DETERMINERS:
        object_phrase = None
    clause_start = verb + 1 if verb is not None else 0
    clause_end = next((index for index in range(clause_start, len(words))
                       if words[index].text in CLAUSE_BREAKS - {","} or words[index].text in lexicon.ing_verbs),
                      len(words))
    places = [place for place in place_phrases(words, lexicon) if place.first < clause_end]
    return Clause(words, subject, plural, verb, verb_phrase_end, object_phrase, places)


def phrase_end(words: list[Word], verb: int) -> int | None:
    """Last word of the verb phrase that starts at `verb`: up to a preposition of place, a clause word, punctuation
    or another -ing word; None when that is longer than MAX_PHRASE_WORDS."""
    index = verb + 1
    while index < len(words) and is_alphabetic(words[index]) and words[index].text not in STOP_WORDS - {"of", "to"}:
        if words[index].text.endswith("ing") and words[index].text not in {"something", "nothing", "anything"}:
            break
        index += 1
    return index - 1 if index - verb <= MAX_PHRASE_WORDS else None


def place_phrases(words: list[Word], lexicon: Lexicon) -> list[Phrase]:
    """Prepositional phrases of place: preposition + noun phrase ("in the yard"), "next to" + noun phrase, and
    "in front of" / "on top of" … + noun phrase; not clothing, body parts or people ("in a red shirt")."""
    places = []
    for index, word in enumerate(words):
        if word.text not in PLACE_PREPOSITIONS:
            continue
        start = index + 1
        if word.text == "next":
            if start >= len(words) or words[start].text != "to":
                continue
            start += 1
        phrase = noun_phrase(words, start, lexicon)
        if phrase is None:
            continue
        if words[phrase.head].text in OF_NOUNS and phrase.head + 2 < len(words) and words[phrase.head + 1].text == "of":
            phrase = noun_phrase(words, phrase.head + 2, lexicon)
            if phrase is None:
                continue
        if words[phrase.head].text in NOT_PLACES or words[phrase.head].text in PERSONS:
            continue
        places.append(Phrase(index, phrase.last, phrase.head))
    return places


def colour_phrases(words: list[Word], lexicon: Lexicon) -> list[Phrase]:
    """Colour words headed by the noun they describe (at most two words on): "dark blue shirt", "black and white
    dog", "red-and-white hat"; first..last span the colour words only."""
    found = []
    index = 0
    while index < len(words):
        if not is_colour(words[index].text) and not (
            words[index].text in COLOUR_MODIFIERS and index + 1 < len(words) and is_colour(words[index + 1].text)
        ):
            index += 1
            continue
        last = index
        while last + 1 < len(words) and (is_colour(words[last + 1].text) or (
            words[last + 1].text == "and" and last + 2 < len(words) and is_colour(words[last + 2].text))):
            last += 1
        described = noun_phrase(words, last + 1, lexicon)
        if described is not None and described.head - last <= 2:
            found.append(Phrase(index, last, described.head))
        index = last + 1
    return found


def is_colour(text: str) -> bool:
    parts = text.split("-")
    allowed = COLOURS | COLOUR_MODIFIERS | {"and"}
    return any(part in COLOURS for part in parts) and all(part in allowed for part in parts)


def colour_words(words: list[Word], phrase: Phrase) -> set[str]:
    return {part for index in range(phrase.first, phrase.last + 1) for part in words[index].text.split("-")} & COLOURS


def number_phrases(words: list[Word], lexicon: Lexicon) -> list[tuple[int, str]]:
    """(index of a number word, the plural noun it counts): "two young men" → (0, "men")."""
    found = []
    for index, word in enumerate(words):
        if word.text in NUMBERS:
            counted = noun_phrase(words, index + 1, lexicon)
            if counted is not None and counted.head - index <= 3:
                found.append((index, words[counted.head].text))
    return found


def same_noun(first: str, second: str) -> bool:
    """Equal up to a regular plural ("yard" / "yards")."""
    return first == second or first + "s" == second or second + "s" == first


# ---------------------------------------------------------------------------------------------------------------
# Questions and answers


@dataclass
class Example:
    image: int  # line of the split's caption files (0-based)
    caption: int  # the caption the question came from (1-5)
    kind: str
    question: str
    context: str
    answers: list[dict]  # [{"text", "start"}]

    def to_json(self, identifier: str) -> dict:
        """A line of the held-out set (qa-set.ts reads id, question, context and answers; the rest is for us)."""
        return {"id": identifier, "question": self.question, "context": self.context, "answers": self.answers,
                "type": self.kind, "image": self.image, "caption": self.caption}


def text_of(words: list[Word], first: int, last: int) -> str:
    """The words first..last joined with single spaces, hyphenated compounds kept."""
    return " ".join(words[index].text for index in range(first, last + 1))


def subject_text(clause: Clause) -> str:
    """The subject as a question names it: "the little girl", "the two men" (article replaced by "the")."""
    words, subject = clause.words, clause.subject
    first = subject.first + (words[subject.first].text in ARTICLES | POSSESSIVES | QUANTIFIERS)
    return "the " + text_of(words, first, subject.last)


def be(clause: Clause) -> str:
    return "are" if clause.plural else "is"


def generate_questions(clause: Clause, lexicon: Lexicon) -> list[tuple[str, str, object]]:
    """(type, question, what the answer must agree with) for one caption."""
    words = clause.words
    questions = []
    counted = {}
    for index, noun in number_phrases(words, lexicon):
        counted.setdefault(noun, set()).add(NUMBERS[words[index].text])
    for noun, values in counted.items():
        if len(values) == 1:
            questions.append(("how many", f"How many {noun} are there?", (noun, values.pop())))
    coloured = {}
    for phrase in colour_phrases(words, lexicon):
        coloured.setdefault(words[phrase.head].text, []).append(colour_words(words, phrase))
    for noun, colour_sets in coloured.items():
        if len(colour_sets) == 1:
            verb = "are" if noun.endswith("s") and not noun.endswith("ss") else "is"
            questions.append(("colour", f"What colour {verb} the {noun}?", (noun, colour_sets[0])))
    if clause.subject is not None and clause.verb is not None:
        subject, verb = subject_text(clause), words[clause.verb].text
        questions.append(("doing", f"What {be(clause)} {subject} doing?", verb))
        if clause.object is not None:
            questions.append(("what", f"What {be(clause)} {subject} {verb}?", verb))
        if words[clause.subject.head].text in PERSONS and clause.verb_phrase_end is not None:
            questions.append(("who", f"Who is {text_of(words, clause.verb, clause.verb_phrase_end)}?", verb))
    if clause.subject is not None and clause.places:
        place = clause.places[-1]
        if clause.subject.last < place.first:
            verb = f" {words[clause.verb].text}" if clause.verb is not None and clause.verb < place.first else ""
            questions.append(("where", f"Where {be(clause)} {subject_text(clause)}{verb}?", words[place.head].text))
    return [(kind, question[0].upper() + question[1:], key) for kind, question, key in questions]


def find_answers(kind: str, key, clauses: list[Clause], offsets: list[int],
                 lexicon: Lexicon) -> list[tuple[int, int]] | None:
    """Every [start, end) character span of the context that answers a question of `kind` agreeing with `key`; None
    when the context also holds a disagreeing candidate (ambiguous) or no answer."""
    answers, conflict = [], False
    for clause, offset in zip(clauses, offsets):
        words = clause.words
        spans = []
        if kind == "how many":
            noun, value = key
            for index, counted in number_phrases(words, lexicon):
                if same_noun(counted, noun):
                    if NUMBERS[words[index].text] == value:
                        spans.append((index, index))
                    else:
                        conflict = True
        elif kind == "colour":
            noun, colours = key
            for phrase in colour_phrases(words, lexicon):
                if same_noun(words[phrase.head].text, noun):
                    if colour_words(words, phrase) & colours:
                        spans.append((phrase.first, phrase.last))
                    else:
                        conflict = True
        elif kind == "where":
            for phrase in clause.places:
                if same_noun(words[phrase.head].text, key):
                    spans.append((phrase.first, phrase.last))
        elif clause.verb is not None and words[clause.verb].text == key:
            if kind == "doing" and clause.verb_phrase_end is not None:
                spans.append((clause.verb, clause.verb_phrase_end))
            elif kind == "what" and clause.object is not None:
                spans.append((clause.object.first, clause.object.last))
            elif kind == "who" and clause.subject is not None and words[clause.subject.head].text in PERSONS:
                spans.append((clause.subject.first, clause.subject.last))
        for first, last in spans:
            answers.append((offset + words[first].start, offset + words[last].end))
    if conflict or not answers:
        return None
    return answers


def image_examples(image: int, captions: list[str], lexicon: Lexicon) -> list[Example]:
    """All questions of one image: each caption asks, the other captions (in file order, joined by a space) answer."""
    clauses = [parse(caption, lexicon) for caption in captions]
    examples = []
    for asking, clause in enumerate(clauses):
        others = [index for index in range(len(captions)) if index != asking]
        context = " ".join(captions[index] for index in others)
        offsets, position = [], 0
        for index in others:
            offsets.append(position)
            position += len(captions[index]) + 1
        seen = set()
        for kind, question, key in generate_questions(clause, lexicon):
            if question in seen:
                continue
            seen.add(question)
            found = find_answers(kind, key, [clauses[index] for index in others], offsets, lexicon)
            if found is None:
                continue
            answers = [{"text": context[start:end], "start": start} for start, end in found]
            examples.append(Example(image, asking + 1, kind, question, context, answers))
    return examples


def build_examples(captions_by_file: list[list[str]], lexicon: Lexicon) -> list[Example]:
    """Examples of a split from its five caption files (line i of each is image i)."""
    examples = []
    for image, captions in enumerate(zip(*captions_by_file)):
        examples += image_examples(image, list(captions), lexicon)
    return examples


# ---------------------------------------------------------------------------------------------------------------
# The lexical-overlap baseline

BASELINE_STOP_WORDS = ARTICLES | AUXILIARIES | {"what", "who", "where", "how", "many", "colour", "doing", "there",
                                                "of", "and", "to"}
BASELINE_EDGE_WORDS = {"a", "an", "the", "is", "are", "and", "of", "to", "with", "while", "as", "his", "her", "their"}
BASELINE_MAX_WORDS = 2  # span length and window chosen on val among 1-4 words and windows of 2, 3, 5
BASELINE_WINDOW = 2


def overlap_baseline(question: str, context: str) -> str:
    """The context span (1-2 words of one caption, no punctuation, no question word, not beginning or ending with
    a, an, the, is, are, and, of, to, with, while, as, his, her, their) whose 2 words either side share the most
    distinct content words with the question; ties go to the earlier start, then the shorter span.

    Content words: the question's words minus a, an, the, some, is, are, of, and, to and the question words (what,
    who, where, how, many, colour, doing, there). Captions end at "." (the context joins them).
    """
    question_words = {word.text for word in split_words(question)} - BASELINE_STOP_WORDS
    words = split_words(context)
    sentence_ends = [index for index, word in enumerate(words) if word.text == "."] + [len(words)]
    best, best_score, sentence_start = "", -1, 0
    for sentence_end in sentence_ends:
        for first in range(sentence_start, sentence_end):
            for last in range(first, min(first + BASELINE_MAX_WORDS, sentence_end)):
                if not is_alphabetic(words[last]) or words[last].text in question_words:
                    break
                if words[first].text in BASELINE_EDGE_WORDS or words[last].text in BASELINE_EDGE_WORDS:
                    continue
                window = words[max(sentence_start, first - BASELINE_WINDOW) : first] + words[last + 1 : min(
                    sentence_end, last + 1 + BASELINE_WINDOW)]
                score = len({word.text for word in window} & question_words)
                if score > best_score:
                    best, best_score = context[words[first].start : words[last].end], score
        sentence_start = sentence_end + 1
    return best
