"""Run the families over files, and decide program by program what goes native.

One file: rounds of every family's sites until none has edits (the earlier family wins an
overlap; the later one sees the new text next round), then the `last` families (the import
rewriting of family 9), then the residue check: a TF1 name left that no family rewrote and that
TensorFlow 2 does not have under the same name is a site that cannot go native.

A program is a group of files joined by imports of the project's own modules (project.py). It
goes native only when every file of it can: eager TensorFlow 2 and `disable_v2_behavior()` cannot
share a process, so a native module importing a compat one (or the other way round) would break.
Otherwise the whole group stays on the compat upgrade and the report says why, site by site.
"""

from __future__ import annotations

import ast
import os
import re
import warnings
from dataclasses import dataclass, field

from tfshift.code import source
from tfshift.code.imports import insertion_edits
from tfshift.code.rule import Edit, ImportRequest
from tfshift.native.family import Site, Unit
from tfshift.native.registry import families

MAX_ROUNDS = 10


@dataclass
class Converted:
    text: str  # the native text (the input when nothing changed)
    sites: list[Site] = field(default_factory=list)  # what was rewritten
    cannot: list[Site] = field(default_factory=list)  # why the file cannot go native
    error: str | None = None  # does not parse: left untouched
    summary: dict | None = None


def _overlaps(a: Edit, b: Edit) -> bool:
    if a.start == a.end or b.start == b.end:  # insertions clash only strictly inside
        return (a.start == a.end and b.start < a.start < b.end) or (
            b.start == b.end and a.start < b.start < a.end) or (a.start == b.start == a.end == b.end and a.text == b.text)
    return a.start < b.end and b.start < a.end


def _splice(text: str, edits: list[Edit]) -> str:
    out, last = [], len(text)
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        out.append(text[edit.end:last])
        out.append(edit.text)
        last = edit.start
    out.append(text[:last])
    return "".join(reversed(out))


def _choose(unit: Unit, sites: list[Site]) -> tuple[list[Site], list[Edit]]:
    taken: list[Edit] = []
    chosen: list[Site] = []
    imports: list[ImportRequest] = []
    for site in sites:
        if site.cannot or not site.edits:
            continue
        if any(_overlaps(e, t) for e in site.edits for t in taken):
            continue
        taken.extend(site.edits)
        imports.extend(i for i in site.imports if i not in imports)
        chosen.append(site)
    needed = [i for i in imports if not _bound(unit, i)]
    if needed and chosen:
        taken[:0] = insertion_edits(needed, unit.text, unit.tree, unit.newline)
    return chosen, taken


def _bound(unit: Unit, request: ImportRequest) -> bool:
    binding = unit.bindings.module.get(request.local_name)
    if binding is None:
        return False
    wanted = request.module if not request.name else f"{request.module}.{request.name}"
    from tfshift.code.names import qualify

    return binding.qual in (qualify(wanted), "tf.compat.v1") or binding.qual == wanted


def _answered(unit: Unit, sites: list[Site], chosen: list[Site]):
    """Whether a reported site lies inside an edit another family chose this round."""
    spans = [(site.family, edit.start, edit.end) for site in chosen for edit in site.edits]

    def answered(site: Site) -> bool:
        if site.line < 1 or site.line > len(unit.starts):
            return False
        at = unit.starts[site.line - 1] + site.column - 1
        return any(family != site.family and start <= at < end for family, start, end in spans)

    return answered


def convert_text(text: str, path: str = "<string>", source_major: int = 1,
                 project: dict | None = None, newline: str | None = None) -> Converted:
    """The native rewrite of one file's text (see the module docstring)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            unit = Unit(text, path, source_major, project, newline)
    except (SyntaxError, ValueError) as exc:
        return Converted(text, error=f"{type(exc).__name__}: {exc}")
    result = Converted(text)
    produced: list[tuple[int, int]] = []
    early: list[Site] = []
    from tfshift.native.names import tf1_evidence

    evidence = source_major == 1 and tf1_evidence(unit)
    unit.tf1_evidence, unit._refs = evidence, None
    if project is None:  # what the project's other files take from this one (project.py)
        from tfshift.code.project import summarize

        result.summary = summarize(unit.tree, unit.entries, unit.bindings.module, text)
    everyone = families()
    regular = [f for f in everyone if not f.last]
    finishing = [f for f in everyone if f.last]
    for _ in range(MAX_ROUNDS):
        sites = _find(regular, unit)
        chosen, edits = _choose(unit, sites)
        if not chosen:
            result.cannot = [s for s in sites if s.cannot]
            break
        # A reason given in any round stands, even if later rounds rewrote around it, unless
        # another family's chosen edit rewrote its very site (family 7 turning an input_fn's
        # one-shot iterator into its dataset answers family 6's report).
        answered = _answered(unit, sites, chosen)
        early.extend(s for s in sites if s.cannot and not answered(s)
                     and (s.family, s.cannot) not in {(e.family, e.cannot) for e in early})
        result.sites.extend(chosen)
        produced = _produced(produced, edits, {id(e) for site in chosen if site.tf2 for e in site.edits})
        unit = _reparse(unit, _splice(unit.text, edits), path, source_major, project, produced)
    else:
        result.cannot = [Site("driver", 1, 1, "rewrites did not settle", cannot=f"the families did not settle after {MAX_ROUNDS} rounds")]
    seen = {(s.family, s.cannot) for s in result.cannot}
    result.cannot[:0] = [s for s in early if (s.family, s.cannot) not in seen]
    if result.cannot:
        result.cannot.extend(_residue(unit, explained=True))
        return result
    sites = _find(finishing, unit)
    result.cannot = [s for s in sites if s.cannot]
    chosen, edits = _choose(unit, sites)
    if chosen:
        result.sites.extend(chosen)
        unit = _reparse(unit, _splice(unit.text, edits), path, source_major, project)
    # What no family explained, looked for once the finishing families removed what they clean
    # up (an unused `slim = tf.contrib.slim` is not a TF1 name left behind).
    result.cannot.extend(_residue(unit, explained=bool(result.cannot)))
    if not result.cannot:
        result.text = unit.text
    return result


def _find(group, unit: Unit) -> list[Site]:
    sites = []
    for family in group:
        try:
            sites.extend(family.find(unit))
        except Exception as exc:  # a family's bug keeps the program on compat, said at the file
            sites.append(Site(family.name, 1, 1, "internal error",
                              cannot=f"tfshift internal error in {family.name} (please report): "
                                     f"{type(exc).__name__}: {exc}"))
    return sites


def _produced(spans: list[tuple[int, int]], edits: list[Edit], tf2: set[int]) -> list[tuple[int, int]]:
    """The spans of the new text that hold TF2 names written by earlier rounds (never read as
    TF1 again): the old ones moved past this round's edits, plus this round's `tf2` edits."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out = []
    for start, end in spans:
        if any(e.start < end and start < e.end for e in ordered):
            continue
        shift = sum(len(e.text) - (e.end - e.start) for e in ordered if e.end <= start)
        out.append((start + shift, end + shift))
    for edit in ordered:
        if id(edit) in tf2:
            shift = sum(len(e.text) - (e.end - e.start) for e in ordered if e.end <= edit.start and e is not edit)
            out.append((edit.start + shift, edit.start + shift + len(edit.text)))
    return out


def _reparse(unit: Unit, text: str, path, source_major, project, produced=None) -> Unit:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            new = Unit(text, path, source_major, project, unit.newline, produced or [])
            new.tf1_evidence = unit.tf1_evidence
            return new
    except SyntaxError as exc:  # a family's bug: never write text that does not parse
        raise RuntimeError(f"native rewrite of {path} does not parse ({exc}); nothing written") from None


def _residue(unit: Unit, explained: bool) -> list[Site]:
    """TF1 names still used that TensorFlow 2 does not have with the same meaning. A name a
    family claims is left to that family's own reason when it gave one (`explained`); left
    silently, it is reported here all the same."""
    from tfshift.native.names import native_equivalent, same_call
    from tfshift.native.registry import claimed

    found = []
    seen = set()
    for ref in unit.refs():
        if not ref.v1 or (explained and claimed(ref.name)):
            continue
        if native_equivalent(ref.name) == ref.name or same_call(ref.name, ref.call):
            continue
        key = (ref.node.lineno, ref.name)
        if key in seen:
            continue
        seen.add(key)
        found.append(Site("residue", ref.node.lineno, unit.column(ref.node), f"{ref.name}",
                          cannot=f"no native rewrite for {ref.name} yet"))
    return found


# Many files ---------------------------------------------------------------------------------


@dataclass
class FilePlan:
    path: str
    absolute: str
    data: bytes | None = None
    decoded: source.Decoded | None = None
    converted: Converted | None = None
    problem: str | None = None  # undecodable, notebook: not native
    group: int = -1


@dataclass
class Plan:
    files: list[FilePlan]
    groups: dict[int, list[FilePlan]]

    def native_groups(self) -> list[list[FilePlan]]:
        return [g for g in self.groups.values() if not self.blockers(g)]

    def blockers(self, group: list[FilePlan]) -> list[tuple[FilePlan, Site]]:
        out = []
        for item in group:
            if item.converted is not None:
                out.extend((item, s) for s in item.converted.cannot)
        return out

    def native(self, item: FilePlan) -> bool:
        return not self.blockers(self.groups[item.group]) and item.problem is None


def _read_and_convert(job: tuple[str, str, int]) -> FilePlan:
    path, absolute, source_major = job
    item = FilePlan(path, absolute)
    if path.endswith(".ipynb"):
        item.problem = "notebooks are not migrated natively yet"
        return item
    try:
        with open(path, "rb") as handle:
            item.data = handle.read()
        item.decoded = source.decode(item.data)
        item.data = None  # the decoded text and its codec are what is needed from here
    except (OSError, source.UndecodableSource) as exc:
        item.problem = f"cannot read or decode: {exc}"
        return item
    try:
        item.converted = convert_text(item.decoded.text, path, source_major, None, item.decoded.newline)
    except (RecursionError, MemoryError):
        item.problem = "nested too deeply for Python's parser or tfshift's analysis"
    except RuntimeError as exc:  # a family wrote text that does not parse: never written
        item.problem = f"tfshift internal error (please report): {exc}"
    return item


SERIAL_BELOW = 24  # files; fewer are not worth starting processes for


def _quiet_worker() -> None:
    """Forked workers inherit the command's SIGTERM handler (supervisor.signals), which raises;
    the pool ends its workers with SIGTERM, and each printed a traceback. They just exit."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def plan(found, source_major: int, jobs: int = 1) -> Plan:
    """Read, convert and group every Python file of `found` (discover.Found items)."""
    from tfshift.code.project import Project

    work = [(entry.path, entry.absolute, source_major) for entry in found if entry.source]
    if jobs > 1 and len(work) >= SERIAL_BELOW:
        import multiprocessing

        context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
        with context.Pool(jobs, initializer=_quiet_worker) as pool:
            items = pool.map(_read_and_convert, work, chunksize=max(1, min(64, len(work) // (jobs * 8))))
    else:
        items = [_read_and_convert(job) for job in work]
    summaries: dict[str, dict] = {}
    for item in items:
        if item.converted is not None and item.converted.summary is not None:
            summaries[item.absolute] = item.converted.summary
    project = Project(summaries)
    parent = {item.absolute: item.absolute for item in items}

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for item in items:
        summary = summaries.get(item.absolute)
        if summary is None:
            continue
        received = project.received(item.absolute)
        if received:  # names through the project's own modules: convert knowing them
            item.converted = convert_text(item.decoded.text, item.path, source_major, received,
                                          item.decoded.newline)
        for level, module, _, _ in summary["imports"]:
            other = project.resolve(item.absolute, level, module)
            if other is not None and other in parent:
                parent[root(other)] = root(item.absolute)
    groups: dict[int, list[FilePlan]] = {}
    ids: dict[str, int] = {}
    for item in items:
        item.group = ids.setdefault(root(item.absolute), len(ids))
        groups.setdefault(item.group, []).append(item)
    for group in groups.values():
        _shared_across_files(group)
    return Plan(items, groups)


_MAKES_VARIABLES = re.compile(r"\.Variable\(|\bkeras\.layers\.[A-Z]|\badd_weight\(")


def _shared_across_files(group: list[FilePlan]) -> None:
    """Variables shared by TF1 name (sharing.py's registry, one per file) in a program where
    another file makes variables too: a module calling another's get_variable / layers under
    reuse shares across files, which per-file registries do not carry (yet). Reported at each
    file involved."""
    from tfshift.native.sharing import CLASS

    making = [item for item in group if item.converted is not None and (any(
        site.family in ("variables", "layers") and site.message.startswith(("tf.get_variable", "tf.layers.", "tf.contrib."))
        for site in item.converted.sites) or _MAKES_VARIABLES.search(item.converted.text))]
    sharing = [item for item in group if item.converted is not None and f"class {CLASS}:" in item.converted.text]
    graphs = [item for item in group if item.converted is not None and any(
        site.family == "graph-programs" and site.edits for site in item.converted.sites)]
    others = [item for item in making if item not in sharing and item not in graphs]
    if graphs and others:
        # graph code runs at every step natively; another file's functions it may call make
        # new variables on each call
        names = ", ".join(relative(item.path) for item in graphs + others)
        for item in graphs + others:
            item.converted.cannot.append(Site("variables", 1, 1, "variables made in another file", cannot=(
                f"a graph program whose project makes variables in another file ({names}): its graph "
                "code now runs at every step and would make them anew; not carried across files yet")))
        return
    involved = sharing + [item for item in making if item not in sharing]
    if not sharing or len(involved) < 2:
        return
    names = ", ".join(relative(item.path) for item in involved)
    for item in involved:
        item.converted.cannot.append(Site("variables", 1, 1, "sharing across files", cannot=(
            f"variables are shared by TF1 name (variable_scope reuse) in a program that makes "
            f"them in several files ({names}): sharing across files is not carried yet")))


def relative(path: str) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return path


def parse_ok(text: str) -> bool:
    try:
        ast.parse(text)
        return True
    except SyntaxError:
        return False
