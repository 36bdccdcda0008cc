#!/usr/bin/env python3
"""Coverage of the event lexicon: CAMEO codes without a trigger, and gold events whose
anchor holds no trigger of a gold root ("unknown triggers").

usage:
  coverage.py LEXICON.tsv CAMEO.tsv
      Every code of the CAMEO table with no lexicon entry, and entries per root.
  coverage.py LEXICON.tsv CAMEO.tsv --gold GOLD.jsonl [--docs DOCS.jsonl]
              [--pred PRED.jsonl | --geokg BINARY [--data DIR]] [--all]
      Also: the gold events (scorer format, see score_events.py) whose anchor holds no
      known trigger of one of the event's gold roots. With predictions (a file written by
      `geokg extract --format jsonl`, or made here by running BINARY on DOCS), gold events
      are split into found, missed with a known trigger (an argument or coding problem, not
      a lexicon one) and missed with an unknown trigger; --all lists every unknown trigger,
      found or not.

How a trigger counts as known in an anchor (simple lemma matching, no parser):
  - the anchor is split into words (letters, digits, '-' and "'"), lower-cased;
  - each word stands for itself and for the lemmas English inflection gives it: plural and
    third-person -s/-es/-ies, past -ed/-d/-ied, -ing, a doubled final consonant ("shelled",
    "stopped"), a dropped final e ("seized" -> "seize", "seizing"), and a table of
    irregular verb forms ("struck" -> "strike", "withdrew" -> "withdraw");
  - an entry is known when its head lemma and every further lemma are among the anchor's
    lemmas, in any order and position: attachment in the parse is not checked, so this
    over-counts a little ("call ... on" matches any anchor with both words);
  - with predictions, a gold event also counts as having a known trigger when a predicted
    event of its document has a trigger inside the anchor and a code of a gold root (the
    binary's own lemmatiser decided), whatever its actors.
Paths are arguments; nothing is read from a fixed place.
"""
import argparse
import json
import re
import subprocess
import sys
from collections import Counter, defaultdict

# Irregular verb forms news uses, past and past participle -> lemma. Regular forms are
# handled by the suffix rules in candidates().
IRREGULAR = {
    "arose": "arise", "arisen": "arise", "ate": "eat", "eaten": "eat", "awoke": "awake",
    "bade": "bid", "beat": "beat", "beaten": "beat", "became": "become", "began": "begin",
    "begun": "begin", "bent": "bend", "bit": "bite", "bitten": "bite", "bled": "bleed",
    "blew": "blow", "blown": "blow", "bore": "bear", "borne": "bear", "born": "bear",
    "bought": "buy", "bound": "bind", "broke": "break", "broken": "break", "bred": "breed",
    "brought": "bring", "built": "build", "burnt": "burn", "came": "come", "caught": "catch",
    "chose": "choose", "chosen": "choose", "clung": "cling", "dealt": "deal", "did": "do",
    "done": "do", "drew": "draw", "drawn": "draw", "drove": "drive", "driven": "drive",
    "dug": "dig", "fed": "feed", "fell": "fall", "fallen": "fall", "felt": "feel",
    "fled": "flee", "flew": "fly", "flown": "fly", "fought": "fight", "forbade": "forbid",
    "forbidden": "forbid", "forgave": "forgive", "forgiven": "forgive", "foresaw": "foresee",
    "foreseen": "foresee", "froze": "freeze", "frozen": "freeze", "gave": "give",
    "given": "give", "went": "go", "gone": "go", "got": "get", "gotten": "get",
    "grew": "grow", "grown": "grow", "had": "have", "has": "have", "heard": "hear",
    "held": "hold", "hid": "hide", "hidden": "hide", "hung": "hang", "is": "be", "was": "be",
    "were": "be", "been": "be", "are": "be", "kept": "keep", "knew": "know", "known": "know",
    "laid": "lay", "led": "lead", "left": "leave", "lent": "lend", "lay": "lie",
    "lain": "lie", "lost": "lose", "made": "make", "meant": "mean", "met": "meet",
    "mistook": "mistake", "mistaken": "mistake", "overcame": "overcome", "overran": "overrun",
    "oversaw": "oversee", "overseen": "oversee", "overtook": "overtake",
    "overtaken": "overtake", "overthrew": "overthrow", "overthrown": "overthrow",
    "paid": "pay", "ran": "run", "rang": "ring", "rung": "ring", "rode": "ride",
    "ridden": "ride", "rose": "rise", "risen": "rise", "sang": "sing", "sung": "sing",
    "sank": "sink", "sunk": "sink", "sat": "sit", "saw": "see", "seen": "see",
    "sought": "seek", "sold": "sell", "sent": "send", "shook": "shake", "shaken": "shake",
    "shot": "shoot", "shone": "shine", "slain": "slay", "slew": "slay", "slid": "slide",
    "spent": "spend", "spoke": "speak", "spoken": "speak", "spun": "spin",
    "sped": "speed", "stood": "stand", "stole": "steal", "stolen": "steal", "struck": "strike",
    "stricken": "strike", "stuck": "stick", "stung": "sting", "strove": "strive",
    "striven": "strive", "swore": "swear", "sworn": "swear", "swept": "sweep",
    "swung": "swing", "taught": "teach", "thought": "think", "threw": "throw",
    "thrown": "throw", "told": "tell", "took": "take", "taken": "take", "tore": "tear",
    "torn": "tear", "undertook": "undertake", "undertaken": "undertake",
    "underwent": "undergo", "undergone": "undergo", "understood": "understand",
    "upheld": "uphold", "withdrew": "withdraw", "withdrawn": "withdraw",
    "withheld": "withhold", "withstood": "withstand", "won": "win", "wore": "wear",
    "worn": "wear", "wound": "wind", "wrote": "write", "written": "write", "said": "say",
    "spread": "spread", "shut": "shut", "cut": "cut", "hit": "hit", "put": "put",
    "set": "set", "let": "let", "quit": "quit", "shed": "shed", "bid": "bid",
    "broadcast": "broadcast", "forecast": "forecast", "upset": "upset", "overrun": "overrun",
    "men": "man", "women": "woman",
    "children": "child", "people": "person", "crises": "crisis", "analyses": "analysis",
}

WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'\-]*")


def candidates(word):
    """Lemmas an inflected word may stand for (over-generates; only lookups use it)."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    out = {w}
    if w in IRREGULAR:
        out.add(IRREGULAR[w])
    # Plural and third person.
    if w.endswith("ies") and len(w) > 4:
        out.add(w[:-3] + "y")
    if w.endswith("es") and len(w) > 3:
        out.add(w[:-2])
    if w.endswith("s") and not w.endswith("ss") and len(w) > 2:
        out.add(w[:-1])
    # Past tense and participles.
    for suffix in ("ed", "ing"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)]
            out.add(stem)
            out.add(stem + "e")
            if suffix == "ed" and stem.endswith("i"):
                out.add(stem[:-1] + "y")
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiou":
                out.add(stem[:-1])
            if stem.endswith("ck"):
                out.add(stem[:-1])  # "panicked" -> "panic"
    if w.endswith("d") and len(w) > 3:
        out.add(w[:-1])
    return out


def anchor_lemmas(text):
    lemmas = set()
    for m in WORD.finditer(text):
        lemmas |= candidates(m.group(0))
        # Hyphenated compounds also stand for their parts ("U.S.-brokered").
        for part in m.group(0).split("-"):
            if part:
                lemmas |= candidates(part)
    return lemmas


def read_lexicon(path):
    entries = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.split("#", 1)[0].rstrip("\r\n")
            if not line.strip():
                continue
            fields = [x.strip() for x in line.split("\t") if x.strip()]
            if len(fields) != 5:
                sys.exit(f"{path}:{n}: expected 5 tab-separated fields, found {len(fields)}")
            entries.append(
                {"lemmas": fields[0].lower().split(), "pos": fields[1], "cameo": fields[2], "line": n}
            )
    return entries


def read_cameo(path):
    codes = []
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip() or raw.startswith("#"):
                continue
            fields = raw.rstrip("\r\n").split("\t")
            if len(fields) < 5:
                sys.exit(f"{path}:{n}: expected 5 tab-separated fields")
            codes.append((fields[0], fields[4]))
    return codes


def read_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{n}: not JSON ({e})")
    return out


def code_report(entries, codes):
    used = Counter(e["cameo"] for e in entries)
    names = dict(codes)
    unknown = sorted(c for c in used if c not in names)
    missing = [(c, n) for c, n in codes if used[c] == 0]
    per_root = Counter(e["cameo"][:2] for e in entries)
    roots = [c for c, _ in codes if len(c) == 2]
    print(f"lexicon: {len(entries)} entries, {len(used)} codes used of {len(codes)}")
    print("entries per root:")
    for r in roots:
        with_entry = sum(1 for c, _ in codes if c.startswith(r) and used[c])
        total = sum(1 for c, _ in codes if c.startswith(r))
        print(f"  {r} {names[r]:<40} {per_root[r]:>5} entries  {with_entry:>3}/{total} codes")
    print(f"codes with no entry ({len(missing)}):")
    for c, n in missing:
        print(f"  {c}\t{n}")
    if unknown:
        print(f"codes in the lexicon but not in the CAMEO table: {' '.join(unknown)}")


def known_in(anchor, roots, by_root):
    lemmas = anchor_lemmas(anchor)
    hits = []
    for r in roots:
        for e in by_root.get(r, []):
            if all(l in lemmas for l in e["lemmas"]):
                hits.append(e)
    return hits


def char_find(text, anchor):
    i = text.find(anchor)
    return None if i < 0 else (i, i + len(anchor))


def trigger_report(entries, args):
    gold = read_jsonl(args.gold)
    docs = {d["id"]: d["text"] for d in read_jsonl(args.docs)} if args.docs else {}
    pred = None
    if args.pred:
        pred = read_jsonl(args.pred)
    elif args.geokg:
        if not args.docs:
            sys.exit("--geokg needs --docs")
        cmd = [args.geokg, "extract", args.docs, "--format", "jsonl", "--quiet"]
        if args.data:
            cmd += ["--data", args.data]
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed: {run.stderr.strip()}")
        pred = [json.loads(l) for l in run.stdout.splitlines() if l.strip()]
    by_root = defaultdict(list)
    for e in entries:
        by_root[e["cameo"][:2]].append(e)
    all_roots = sorted(by_root)
    pred_by_doc = defaultdict(list)
    for p in pred or []:
        pred_by_doc[p.get("doc")].append(p)

    def binary_knows(g):
        text = docs.get(g["doc"])
        if text is None:
            return False
        span = char_find(text, g["anchor"])
        if span is None:
            return False
        for p in pred_by_doc.get(g["doc"], []):
            ts = p.get("trigger_span") or {}
            code = str(p.get("cameo") or "")
            roots = g.get("cameo_roots") or all_roots
            if code[:2] in roots and span[0] <= ts.get("start", -1) < span[1]:
                return True
        return False

    found = set()
    if pred is not None:
        found = found_ids(gold, pred)
    rows = []
    for g in gold:
        roots = g.get("cameo_roots") or all_roots
        known = known_in(g["anchor"], roots, by_root) or binary_knows(g)
        rows.append((g, bool(known), g["id"] in found))
    unknown = [r for r in rows if not r[1]]
    print()
    print(f"gold events: {len(rows)} ({sum(1 for g, _, _ in rows if g['level'] == 'core')} core)")
    for level in ("core", "extra"):
        lv = [r for r in rows if r[0]["level"] == level]
        unk = sum(1 for r in lv if not r[1])
        line = f"  {level}: {len(lv)}, anchor with no known trigger of a gold root: {unk}"
        if pred is not None:
            fnd = sum(1 for r in lv if r[2])
            miss_known = sum(1 for r in lv if r[1] and not r[2])
            line += f"; found {fnd}, missed with a known trigger {miss_known}"
        print(line)
    print(f"unknown triggers ({len(unknown)}):")
    for g, _, fnd in unknown:
        if pred is not None and fnd and not args.all:
            continue
        roots = ",".join(g.get("cameo_roots") or ["any"])
        mark = " (found anyway)" if fnd else ""
        print(f"  {g['id']}\t{g['level']}\t{roots}\t{g['anchor']}{mark}")
    if pred is not None:
        missed = [r for r in rows if r[1] and not r[2]]
        print(f"missed with a known trigger ({len(missed)}):")
        for g, _, _ in missed:
            roots = ",".join(g.get("cameo_roots") or ["any"])
            print(f"  {g['id']}\t{g['level']}\t{roots}\t{g['anchor']}")


def found_ids(gold, pred):
    """Gold events a prediction finds, by the scorer's rule (anchor in evidence, root, actors)."""

    def norm(s):
        s = s.lower().replace("\u2019", "'")
        s = re.sub(r"^the\s+", "", s.strip())
        return re.sub(r"[^\w' ]+", "", s).strip()

    def names(party):
        if party is None:
            return []
        if isinstance(party, str):
            return [party]
        out = [party.get(k) for k in ("label", "name", "canonical", "actor_code", "code", "country", "wikidata", "id")]
        out += party.get("aliases", []) or []
        return [v for v in out if isinstance(v, str) and v]

    def matches(party, gold_names):
        if gold_names is None:
            return True
        want = {norm(x) for x in gold_names}
        for n in names(party):
            if norm(n) in want or (re.fullmatch(r"[A-Z]{3}[A-Z]*", n) and n[:3].lower() in want):
                return True
        return False

    found = set()
    for p in pred:
        for g in gold:
            if g["doc"] != p.get("doc") or g["anchor"] not in (p.get("evidence") or ""):
                continue
            roots = g.get("cameo_roots")
            if roots is not None and str(p.get("cameo") or "")[:2] not in roots:
                continue
            s, o = p.get("subject"), p.get("object")
            ok = matches(s, g["subject"]) and (g["object"] is None or matches(o, g["object"]))
            if not ok and g.get("symmetric") and g["object"] is not None:
                ok = matches(o, g["subject"]) and matches(s, g["object"])
            if ok:
                found.add(g["id"])
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("lexicon")
    ap.add_argument("cameo")
    ap.add_argument("--gold")
    ap.add_argument("--docs")
    ap.add_argument("--pred")
    ap.add_argument("--geokg")
    ap.add_argument("--data")
    ap.add_argument("--all", action="store_true")
    args = ap.parse_args()
    entries = read_lexicon(args.lexicon)
    codes = read_cameo(args.cameo)
    code_report(entries, codes)
    if args.gold:
        trigger_report(entries, args)


if __name__ == "__main__":
    main()
