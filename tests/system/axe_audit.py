"""axe-core (Deque's accessibility engine, fetched from npm by site/build.py) run inside a Playwright page.

`audit(page)` injects ``axe.min.js`` and returns the WCAG 2.1 A and AA violations axe finds; `counts` and
`describe` sum and word them by rule, for a test's message and for the before/after notes of issues 21 and 23.
"""

from __future__ import annotations

import collections
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "build" / "site-npm" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
SERIOUS = ("serious", "critical")


def audit(page, include: str | None = None, owners: dict[str, str] | None = None) -> list[dict]:
    """The violations axe finds on ``page`` (within ``include``, a CSS selector, when given), as
    ``{"id", "impact", "help", "nodes": [{"target", "html", "summary", "owner"}]}`` dicts.

    ``owners`` maps a name to a CSS selector: a node inside an element it matches gets that name as its
    ``owner`` (the first that matches; None when none does), to tell the course's nodes from a host's. A
    selector written ``=selector`` names only a node that is itself such an element."""
    if not AXE_SCRIPT.is_file():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: site/build.py fetches axe-core with npm")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    return page.evaluate("""async ([include, tags, owners]) => {
        const result = await axe.run(include ? {include: [[include]]} : document,
                                     {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
                                      elementRef: true});
        const owner = (el) => {
            for (const [name, selector] of Object.entries(owners)) {
                if (!el || !el.closest) continue;
                if (selector.startsWith('=') ? el.matches(selector.slice(1)) : el.closest(selector)) return name;
            }
            return null;
        };
        return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                      summary: (n.failureSummary || '').split('\\n').slice(0, 2).join(' '),
                                      owner: owner(n.element)})),
        }));
    }""", [include, list(WCAG_21_AA), owners or {}])


def owned_by(violations: list[dict], owner: str | None) -> list[dict]:
    """The violations restricted to the nodes whose ``owner`` is ``owner`` (None: nobody named)."""
    kept = [dict(v, nodes=[n for n in v["nodes"] if n.get("owner") == owner]) for v in violations]
    return [v for v in kept if v["nodes"]]


def serious(violations: list[dict]) -> list[dict]:
    """The violations whose impact is serious or critical."""
    return [v for v in violations if v["impact"] in SERIOUS]


def counts(violations: list[dict]) -> collections.Counter:
    """Nodes per rule: ``Counter({"image-alt": 8, ...})``."""
    total = collections.Counter()
    for violation in violations:
        total[violation["id"]] += len(violation["nodes"])
    return total


def describe(violations: list[dict], examples: int = 2) -> str:
    """One line per rule (impact, nodes, what axe asks), then up to ``examples`` of its nodes."""
    by_rule: dict[str, list[dict]] = collections.defaultdict(list)
    for violation in violations:
        by_rule[violation["id"]].append(violation)
    lines = []
    for rule, found in sorted(by_rule.items(), key=lambda item: -sum(len(v["nodes"]) for v in item[1])):
        nodes = [node for v in found for node in v["nodes"]]
        lines.append(f"{rule} ({found[0]['impact']}): {len(nodes)} nodes - {found[0]['help']}")
        lines.extend(f"    {node['target']}: {node['html']}  [{node['summary']}]" for node in nodes[:examples])
    return "\n".join(lines)
