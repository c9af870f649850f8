"""The design system's rules for static/css/site.css (docs/design-system.md), checked without a
browser or a database: the gzip budget, logical properties only, type sizes from the scale,
colours from tokens, no undefined token, and the heading face on h1–h3."""

import gzip
import re
from pathlib import Path

CSS_PATH = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
BUDGET = 30 * 1024  # bytes, gzipped

# The impact page's SVG chart labels are sized in px on purpose: inside an SVG with a viewBox,
# px are user units that scale with the drawing, so a rem step would not mean the same thing.
PX_FONT_SIZE_ALLOWED = {".impact-chart__label", ".impact-chart__value"}

PHYSICAL = re.compile(
    r"(?<![\w-])("
    r"(?:margin|padding)-(?:left|right)"
    r"|border-(?:left|right)(?:-[a-z]+)?"
    r"|border-(?:top|bottom)-(?:left|right)-radius"
    r"|left|right"
    r")\s*:",
)
PHYSICAL_VALUE = re.compile(r"(?<![\w-])(text-align|float|clear)\s*:\s*(left|right)\b")
COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(")


def strip_comments(css):
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def css():
    return strip_comments(CSS_PATH.read_text(encoding="utf-8"))


def root_blocks(text):
    """The bodies of every `:root { … }` rule (custom-property definitions)."""
    return re.findall(r"(?<![\w-]):root\s*\{([^{}]*)\}", text)


def without_root(text):
    return re.sub(r"(?<![\w-]):root\s*\{[^{}]*\}", "", text)


def rules(text):
    """(selector, declarations) for every innermost rule; @media wrappers are looked through."""
    return re.findall(r"([^{};]+)\{([^{}]*)\}", text)


def test_gzipped_size_is_under_the_budget():
    size = len(gzip.compress(CSS_PATH.read_bytes(), compresslevel=9))
    assert size < BUDGET, f"site.css is {size} bytes gzipped, budget {BUDGET}"


def test_only_logical_properties():
    offenders = []
    for selector, body in rules(css()):
        for match in PHYSICAL.finditer(body):
            offenders.append(f"{selector.strip()} {{ {match.group(0)} }}")
        for match in PHYSICAL_VALUE.finditer(body):
            offenders.append(f"{selector.strip()} {{ {match.group(0)} }}")
    assert not offenders, "physical properties (use inline-start/end):\n" + "\n".join(offenders)


def test_physical_property_regexes_allow_logical_ones():
    logical = (
        "inset-inline-start: 0; margin-inline-end: 1rem; padding-inline-start: 0;"
        "border-inline-start: 1px solid; text-align: start; border-start-start-radius: 1rem;"
        "mask-image: linear-gradient(to right, #000, transparent); float: inline-start;"
    )
    assert not PHYSICAL.search(logical)
    assert not PHYSICAL_VALUE.search(logical)
    for physical in (
        "left: 0",
        "right:0",
        "margin-right: 1rem",
        "padding-left: 0",
        "border-left: 1px solid",
        "border-right-color: red",
        "border-top-left-radius: 1rem",
    ):
        assert PHYSICAL.search(physical), physical
    assert PHYSICAL_VALUE.search("text-align: left") and PHYSICAL_VALUE.search("float: right")


def test_every_font_size_comes_from_the_type_scale():
    offenders = []
    for selector, body in rules(without_root(css())):
        for value in re.findall(r"font-size\s*:\s*([^;]+)", body):
            value = value.strip()
            if re.fullmatch(r"var\(--step--?\d\)", value):
                continue
            names = {s.strip() for s in selector.split(",")}
            if names <= PX_FONT_SIZE_ALLOWED and re.fullmatch(r"\d+px", value):
                continue
            offenders.append(f"{selector.strip()} {{ font-size: {value} }}")
    assert not offenders, "font sizes outside the scale:\n" + "\n".join(offenders)


def test_colour_literals_only_in_root_tokens():
    text = css()
    outside = without_root(text)
    offenders = [line.strip() for line in outside.splitlines() if COLOUR_LITERAL.search(line)]
    assert not offenders, "colour literals outside :root tokens:\n" + "\n".join(offenders)
    for block in root_blocks(text):
        for declaration in block.split(";"):
            if COLOUR_LITERAL.search(declaration):
                assert declaration.strip().startswith("--"), declaration


def test_named_colours_are_tokens_too():
    outside = without_root(css())
    named = re.findall(
        r"(?<![\w-])(?:color|background(?:-color)?|fill|stroke|border(?:-[a-z-]+)?|outline)"
        r"\s*:[^;{}]*(?<![\w-])(white|black|red|green|blue|gray|grey)(?![\w-])",
        outside,
    )
    assert not named, named


def test_every_token_used_is_defined():
    text = css()
    defined = set(re.findall(r"(--[\w-]+)\s*:", text))
    used = set(re.findall(r"var\(\s*(--[\w-]+)", text))
    assert used - defined == set()


def test_headings_use_the_heading_face():
    text = css()
    faces = {}
    for selector, body in rules(without_root(text)):
        match = re.search(r"font-family\s*:\s*([^;]+)", body)
        if match:
            for name in selector.split(","):
                faces[name.strip()] = match.group(1).strip()
    for heading in ("h1", "h2", "h3"):
        assert faces.get(heading) == "var(--font-heading)", heading
    root = "".join(root_blocks(text))
    stack = re.search(r"--font-heading\s*:\s*([^;]+);", root).group(1)
    # Latin, Arabic and Chinese each get a named serif, and the generic serif comes last.
    for family in ('"Noto Serif"', '"Noto Naskh Arabic"', '"Noto Serif CJK SC"'):
        assert family in stack
    assert stack.split(",")[-1].strip() == "serif"
