"""Hypothesis strategies for fuzzing scenario files (used by tests/test_fuzz.py).

Two families: random YAML (documents of random shape, and raw text with control characters,
unicode and very long tokens), and mutations of the shipped scenarios (a value replaced by a
wrong type or an extreme number, a key deleted or added, sweeps added or altered). The tests
import `yaml` only to write fuzzed files; the package reads them through its own reader.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import yaml
from hypothesis import strategies as st

from sim.scenario import presets

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))
DOCUMENTS = {path.name: yaml.safe_load(path.read_text(encoding="utf-8")) for path in SHIPPED}

FIELD_NAMES = [
    "name", "seed", "replications", "horizon_days", "start_date", "company", "size",
    "requisitions", "openings", "team", "hiring_manager", "recruiter", "committee",
    "applicants", "per_requisition", "max_reopens", "reopen_after_days", "arrivals",
    "process", "rate_per_day", "days", "candidate", "patience", "stages", "initial_review",
    "shortlisting", "reference_checks", "decision", "follow_up", "negotiation",
    "final_decision", "onboarding", "enabled", "resource", "wait", "duration", "pass_prob",
    "keep", "pool_days", "meets_every_days", "first_meeting_day", "second_interview_prob",
    "second_interview", "rejection_duration", "rounds", "walk_away_prob", "accept_prob",
    "accept_prob_loss_per_week", "sweep", "dist", "mean", "median", "p90", "sd", "cv", "min",
    "max", "mode", "value", "values", "calendar", "costs",
]  # fmt: skip

# -- values ------------------------------------------------------------------------------------

EXTREME_NUMBERS = [
    0, -1, 1, 2, 0.5, -0.0, 1e308, -1e308, 1e-300, 5e-324, 2**31, 2**63, 2**63 - 1, 2**64,
    10**30, 10**400, 1e12, 1e15, 1e-9,
    math.nan, math.inf, -math.inf,
]  # fmt: skip


def _nest(depth: int, kind: str):
    node: object = 1
    for _ in range(depth):
        node = [node] if kind == "list" else {"a": node}
    return node


ODD_STRINGS = [
    "", " ", "x" * 10_000, "é€😀\u202e\u200b", "\x00", "\t\x0c\x0b", "\x1b[31mred",
    "../../etc", "committee", "recruiter", "hiring_manager", "nobody", "mid", "enterprise",
    "lognormal", "poisson", "1e3", "010", "yes", "null", ".nan", "2026-13-01", "9999-12-31",
    "\ud7ff\ue000\ufffd", "名前", "a" * 101,
]  # fmt: skip

NESTED = [_nest(d, k) for d in (1, 5, 60, 200) for k in ("list", "dict")] + [
    [],
    {},
    [1, 2, 3],
    {"dist": "fixed"},
    {"a": None},
    [None],
    [[[]]],
]


def _leaf_scalars():
    return st.one_of(
        st.none(),
        st.booleans(),
        st.sampled_from(EXTREME_NUMBERS),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(ODD_STRINGS),
        st.text(max_size=30),
    )


def distributions():
    """Distribution mappings: well formed, with extreme or odd parameters, or malformed."""
    number = st.one_of(
        st.sampled_from([0, 0.001, 0.5, 1, 3, 7, 30, 1e3, 1e6, 1e12, 1e100, 1e300, 1e-300]),
        st.sampled_from([-1, math.nan, math.inf, 2**63, 10**400, "2", None, True]),
    )
    return st.one_of(
        number,
        st.builds(lambda v: {"dist": "fixed", "value": v}, number),
        st.builds(lambda m: {"dist": "exponential", "mean": m}, number),
        st.builds(lambda a, b: {"dist": "lognormal", "median": a, "p90": b}, number, number),
        st.builds(lambda a, b: {"dist": "lognormal", "mean": a, "sd": b}, number, number),
        st.builds(lambda a, b: {"dist": "gamma", "mean": a, "cv": b}, number, number),
        st.builds(
            lambda a, b, c: {"dist": "triangular", "min": a, "mode": b, "max": c},
            number,
            number,
            number,
        ),  # fmt: skip
        st.builds(lambda a, b: {"dist": "uniform", "min": a, "max": b}, number, number),
        st.builds(lambda v: {"dist": "empirical", "values": v}, st.lists(number, max_size=6)),
        st.builds(
            lambda d, k: {"dist": d, k: 1},
            st.sampled_from(["normal", "Exponential", "", "fixed", "gamma"]),
            st.sampled_from(["mean", "median", "rate", "value", "shape"]),
        ),
    )


def bad_values():
    """What a careless or hostile user puts where a value belongs."""
    return st.one_of(
        _leaf_scalars(),
        st.sampled_from(NESTED),
        distributions(),
        st.lists(_leaf_scalars(), max_size=4),
        st.dictionaries(st.sampled_from(FIELD_NAMES), _leaf_scalars(), max_size=3),
    )


# -- random documents --------------------------------------------------------------------------

_keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=12))
_trees = st.recursive(
    _leaf_scalars(),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=5)
    ),
    max_leaves=25,
)


def dump(document) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def random_documents():
    """YAML text of random mappings that start like a scenario (name, known keys)."""
    scenario_like = st.builds(
        lambda rest, name: {"name": name, **rest},
        st.dictionaries(_keys, _trees, max_size=6),
        st.one_of(st.just("fuzz"), _leaf_scalars()),
    )
    return st.one_of(scenario_like, _trees).map(dump)


RAW_TOKENS = [
    "010", "0o17", "0x1F", "0b101", "1_000", "1:30", "190:20:30", "1e3", "1E3", "1.0e+3",
    "1e400", "-1e400", ".nan", ".NaN", ".inf", "-.inf", "+.inf", "~", "null", "Null", "yes",
    "no", "on", "off", "y", "n", "True", "TRUE", "true", "false", "2026-13-01", "2026-02-30",
    "2262-04-12", "9999-12-31", "0001-01-01", "2001-12-14t21:59:43.10-05:00", "*undefined",
    "&a [*a]", "!!python/object/apply:os.system ['true']", "!!binary AAAA", "!!set {a}",
    "!!omap [a: 1]", "!!timestamp 2020-01-01", "!!float '1e400'", "!!int '99999999999999999999'",
    "!!str", "!custom 1", '"\\0"', '"\\u202e"', '"\\x0c"', "'\x00'", "{a: 1, a: 2}",
    "[1, [2, [3]]]", "|\n  multi\n  line", ">-\n  folded", "? complex\n: key", "- - -", "{", "]",
    "'unterminated",
    "%YAML 1.1", "---\n...", "\x0c", "\x00", "\t", "\ufeff", "\x85", "\u2028",
    "9" * 5000, "x" * 100_000,
]  # fmt: skip

CONTROL = "\x00\x01\x07\x08\t\x0b\x0c\r\x1b\x7f\x85\u2028\u2029\ufeff\ufffe"


def raw_texts():
    """Text that is not what yaml.safe_dump writes: control characters, tabs, unicode,
    odd scalars and very long tokens, alone or spliced into a shipped scenario."""
    chars = st.characters(codec="utf-8")
    long_token = st.builds(
        lambda c, n: c * n, st.sampled_from(["a", "9", "[", "{", "-", " ", "é", "\t"]),
        st.sampled_from([1_000, 50_000, 500_000]),
    )  # fmt: skip
    spliced = st.builds(
        _splice,
        st.sampled_from(sorted(DOCUMENTS)),
        st.floats(0, 1),
        st.one_of(st.sampled_from(RAW_TOKENS), st.text(alphabet=CONTROL, min_size=1, max_size=3)),
    )
    placed = _placed_tokens()
    return st.one_of(
        st.text(alphabet=chars, max_size=200),
        st.text(alphabet=st.sampled_from(list(CONTROL + "abc: -[]{}#&*!|>'\"%@`\n")), max_size=80),
        long_token,
        spliced,
        placed,
    )


def _splice(name: str, where: float, token: str) -> str:
    text = (ROOT / "scenarios" / name).read_text(encoding="utf-8")
    at = int(where * len(text))
    return text[:at] + token + text[at:]


_PLACEHOLDER = "FUZZ_PLACEHOLDER_TOKEN"


@st.composite
def _placed_tokens(draw) -> str:
    """A shipped scenario with one value (at a random path) written as a raw YAML token."""
    name = draw(st.sampled_from(sorted(DOCUMENTS)))
    token = draw(st.sampled_from(RAW_TOKENS))
    document = copy.deepcopy(DOCUMENTS[name])
    path = draw(st.sampled_from(value_paths(name)))
    set_path(document, path, _PLACEHOLDER)
    return dump(document).replace(_PLACEHOLDER, token, 1)


# -- mutations of the shipped scenarios --------------------------------------------------------


def _paths(node, prefix: str = "") -> list[str]:
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found.append(path)
            found += _paths(value, path)
    return found


def value_paths(name: str) -> list[str]:
    """Dotted paths a mutation can aim at: those written in the file and those its preset
    fills in (so a mutation reaches fields the file does not mention)."""
    document = DOCUMENTS[name]
    size = (document.get("company") or {}).get("size", "mid")
    merged = presets.merged(
        size, copy.deepcopy({k: v for k, v in document.items() if k != "sweep"})
    )
    return sorted(set(_paths(document)) | set(_paths(merged)))


def get_path(document: dict, path: str):
    node = document
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def set_path(document: dict, path: str, value) -> None:
    node = document
    *parents, leaf = path.split(".")
    for part in parents:
        if not isinstance(node.get(part), dict):
            node[part] = {}
        node = node[part]
    node[leaf] = value


def delete_path(document: dict, path: str) -> None:
    node = document
    *parents, leaf = path.split(".")
    for part in parents:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(leaf, None)


def _kind(path: str) -> str:
    leaf = path.rsplit(".", 1)[-1]
    if leaf.endswith("_prob") or leaf == "accept_prob_loss_per_week":
        return "probability"
    if path.startswith("team.") or leaf in {
        "requisitions", "openings", "per_requisition", "max_reopens", "seed", "replications",
        "keep",
    }:  # fmt: skip
        return "count"
    if leaf in {"duration", "wait", "patience", "rounds", "rejection_duration"}:
        return "distribution"
    if leaf == "enabled":
        return "bool"
    if leaf == "size":
        return "size"
    if leaf == "resource":
        return "resource"
    if leaf == "start_date":
        return "date"
    if leaf in {"arrivals", "name", "dist", "process", "values"}:
        return "other"
    preset = get_path(_PRESET, path)
    if isinstance(preset, dict) and "dist" not in preset:
        return "other"  # a mapping of fields: company, team, a stage
    if preset is None and "." in path and leaf not in _DIST_PARAMETERS:
        return "other"
    return "days"


_PRESET = presets.merged("large", {"name": "x"})
_DIST_PARAMETERS = {"value", "mean", "median", "p90", "sd", "cv", "min", "mode", "max"}


_POSITIVE = [1e-300, 1e-9, 0.001, 0.5, 1, 2, 7, 30, 365, 1e4, 1e6, 1e12, 1e100, 1e300]


def legal_distributions():
    """Well-formed distributions whose parameters are in range, many of them extreme."""
    positive = st.sampled_from(_POSITIVE)
    factor = st.sampled_from([1.0001, 1.5, 3, 10, 1e3, 1e6])
    ordered = st.lists(st.sampled_from([0, *_POSITIVE]), min_size=3, max_size=3).map(sorted)
    return st.one_of(
        st.sampled_from([0, *_POSITIVE]),
        st.builds(lambda v: {"dist": "fixed", "value": v}, positive),
        st.builds(lambda m: {"dist": "exponential", "mean": m}, positive),
        st.builds(lambda m, f: {"dist": "lognormal", "median": m, "p90": m * f}, positive, factor),
        st.builds(lambda m, f: {"dist": "lognormal", "mean": m, "sd": m * f}, positive, factor),
        st.builds(lambda m, cv: {"dist": "gamma", "mean": m, "cv": cv}, positive, positive),
        ordered.map(lambda v: {"dist": "triangular", "min": v[0], "mode": v[1], "max": v[2]}),
        ordered.map(lambda v: {"dist": "uniform", "min": v[0], "max": v[2]}),
        st.builds(
            lambda v: {"dist": "empirical", "values": v},
            st.lists(st.sampled_from([0, *_POSITIVE]), min_size=1, max_size=5),
        ),
    )


LEGAL = {
    "probability": st.sampled_from([0, 1, 0.05, 0.5, 0.999, 1e-300]),
    "count": st.sampled_from([1, 2, 3, 5, 10, 50]),
    "bool": st.booleans(),
    "size": st.sampled_from(["startup", "small", "mid", "large", "enterprise"]),
    "resource": st.sampled_from([None, "recruiter", "hiring_manager", "committee"]),
    "date": st.sampled_from(["1900-01-01", "2026-01-05", "2200-12-31", "2199-06-30"]),
    "days": st.sampled_from([1e-300, 1e-9, 0.001, 0.5, 1, 5, 7, 30, 365, 1e4, 1e6, 1e9]),
    "distribution": legal_distributions(),
    "other": st.sampled_from([{}, None]),
}


def legal_ish(path: str):
    """Values of the right kind for `path`, many of them extreme but within its type."""
    return LEGAL[_kind(path)]


@st.composite
def sweeps(draw, name: str, legal: bool = False):
    """A sweep: some paths (sometimes 3 or more, sometimes odd ones: seed, replications,
    sweep itself, a parent and its child) with a few values each, distributions included."""
    paths = value_paths(name) + ["seed", "replications", "horizon_days", "start_date"]
    if legal:
        paths = [path for path in paths if _kind(path) != "other"]
    else:
        paths += ["sweep", "team", "name", "stages", "company.size.x"]
    chosen = draw(st.lists(st.sampled_from(paths), min_size=1, max_size=5, unique=True))
    sweep = {}
    for path in chosen:
        values = legal_ish(path) if legal else st.one_of(legal_ish(path), bad_values())
        sweep[path] = draw(st.lists(values, min_size=1 if legal else 0, max_size=3))
    if not legal and draw(st.booleans()):
        return draw(st.one_of(bad_values(), st.just({"nope.path": [1, 2]})))
    return sweep


@st.composite
def mutations(draw, legal: bool = False, max_edits: int = 3):
    """(shipped scenario name, mutated document). With `legal`, values keep their kind (so
    most documents validate and the run is exercised); otherwise anything goes."""
    name = draw(st.sampled_from(sorted(DOCUMENTS)))
    document = copy.deepcopy(DOCUMENTS[name])
    paths = value_paths(name)
    if legal:
        paths = [path for path in paths if _kind(path) != "other"]
    edits = ["set", "set", "sweep"] if legal else ["set", "set", "delete", "add", "sweep"]
    for _ in range(draw(st.integers(1, max_edits))):
        edit = draw(st.sampled_from(edits))
        if edit == "sweep":
            document["sweep"] = draw(sweeps(name, legal=legal))
            continue
        path = draw(st.sampled_from(paths))
        if edit == "set":
            value = draw(legal_ish(path) if legal else st.one_of(legal_ish(path), bad_values()))
            set_path(document, path, value)
        elif edit == "delete":
            delete_path(document, path)
        else:
            key = draw(st.one_of(st.sampled_from(FIELD_NAMES), st.text(min_size=1, max_size=20)))
            parent = path.rsplit(".", 1)[0] if "." in path else ""
            target = get_path(document, parent) if parent else document
            if isinstance(target, dict):
                target[key] = draw(_leaf_scalars())
    return name, document
