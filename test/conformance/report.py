"""docs/conformance.md from one run of run_conformance.py.

Everything is sorted (ops by domain then name, tests by name, reasons by count then text), so
two runs with the same results differ only in the date and timings."""
import collections
import re

STATUSES = ("PASS", "FAIL", "UNSUPPORTED", "N/A")


def normalise_reason(reason):
    """Groups onnxc errors that differ only in names: drops the node prefix and quoted names."""
    r = re.sub(r"^node (#\d+|'[^']*') \([^)]*\): ", "", reason)
    r = re.sub(r"'[^']*'", "'…'", r)
    return r


def op_key(r):
    return (r["domain"] != "ai.onnx", r["domain"], r["op"].lower(), r["op"])


def op_label(r):
    return r["op"] if r["domain"] == "ai.onnx" else f"{r['op']} ({r['domain']})"


def counts(results):
    c = collections.Counter(r["status"] for r in results)
    return {s: c.get(s, 0) for s in STATUSES}


def pct(a, b):
    return f"{100.0 * a / b:.1f}%" if b else "n/a"


def summary_line(results):
    c, total = counts(results), len(results)
    applicable = total - c["N/A"]
    return (f"Total: {total} tests: {c['PASS']} passed, {c['FAIL']} failed, {c['UNSUPPORTED']} unsupported, "
            f"{c['N/A']} not applicable by design. Pass rate {pct(c['PASS'], total)} of all tests, "
            f"{pct(c['PASS'], applicable)} of the {applicable} applicable ones.")


def per_op(results):
    """[(label, domain, Counter of statuses, expanded passed, expanded total)] sorted."""
    groups = collections.OrderedDict()
    for r in sorted(results, key=op_key):
        groups.setdefault((r["domain"], r["op"]), []).append(r)
    rows = []
    for (domain, op), rs in groups.items():
        c = counts(rs)
        exp = [r for r in rs if r["expanded"]]
        rows.append((op_label(rs[0]), c, sum(r["status"] == "PASS" for r in exp), len(exp), len(rs)))
    return rows


# onnxc refusals (exit 1) whose message reads like a compiler bug rather than a missing feature:
# internal errors and MLIR verifier messages ('dialect.op' op ...). They stay UNSUPPORTED (the
# exit code says refused) but the report lists them apart so they are not mistaken for gaps.
SUSPECT_RE = re.compile(r"^internal:|\): internal:|'[a-z_]+\.[a-z_.]+' op |out-of-bounds|"
                        r"cannot be converted to LLVM IR")


def suspect(r):
    return r["status"] == "UNSUPPORTED" and bool(SUSPECT_RE.search(r["reason"]))


def top_unsupported_ops(results, n=30):
    """[(op label, unsupported tests, the most common reason among them)]"""
    by_op = collections.defaultdict(collections.Counter)
    for r in results:
        if r["status"] == "UNSUPPORTED":
            by_op[op_label(r)][normalise_reason(r["reason"])] += 1
    rows = [(op, sum(c.values()), sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0]) for op, c in by_op.items()]
    return sorted(rows, key=lambda row: (-row[1], row[0]))[:n]


def unsupported_reasons(results):
    c = collections.Counter(normalise_reason(r["reason"]) for r in results if r["status"] == "UNSUPPORTED")
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))


def _md(text):
    return text.replace("|", "\\|").replace("\n", " ")


def _test_list(lines, results, status):
    for r in sorted((r for r in results if r["status"] == status), key=lambda r: r["name"]):
        note = ", expanded" if r["expanded"] else ""
        lines.append(f"- `{r['name']}` ({op_label(r)}{note}): {_md(r['reason'])}")
    if not any(r["status"] == status for r in results):
        lines.append("- none")


def render(results, meta):
    c = counts(results)
    n_exp = sum(r["expanded"] for r in results)
    lines = [
        "# ONNX backend node-test conformance",
        "",
        "Written by `test/conformance/run_conformance.py` (see `test/conformance/README.md`); do not edit",
        "by hand, rerun the runner.",
        "",
        f"- onnx wheel: **{meta['onnx_version']}**, {len(results)} node tests "
        f"({len(results) - n_exp} single-node, {n_exp} `_expanded` function-body tests)",
        f"- test data: {meta['data_source']}",
        f"- onnxc: `{meta['onnxc_version']}`",
        f"- date: {meta['date']}; {meta['jobs']} jobs; suite wall time {meta['wall_s']:.0f} s; "
        f"onnxc compile time per test: {meta['compile_stats']}",
        f"- tolerance: `|got - ref| <= atol + rtol * |ref|`, NaN equal to NaN, rtol {meta['rtol']:g}, "
        f"atol {meta['atol']:g} (ONNX's backend runner; bfloat16 rtol >= 2^-6); integers and bools "
        f"exact; shapes and dtypes must match.{meta['overrides_note']}",
        "",
        f"**{summary_line(results)}**",
        "",
        "PASS: compiled, ran under the generic harness (guards, determinism) and matched. FAIL: compiled "
        "but wrong results, crash, or onnxc died (exit other than 0/1). UNSUPPORTED: onnxc refused "
        "the model (exit 1; its first error line is the reason). N/A: cannot pass by design "
        "(listed at the end with the reason; counted in the total).",
        "",
        f"Frozen shape inputs: {sum(bool(r.get('frozen')) for r in results)} tests feed a shape-determining "
        "operand (Reshape's shape, Reduce's axes, Slice's starts, ...) as a graph input. onnxc compiles "
        "static shapes, so when it asks for such an operand to be constant, the runner moves the integer "
        "inputs, Resize's float scales, Compress's bool condition and the small (at most 16 elements) "
        "inputs of the node onnxc names, when they hold the same value in every data set, into "
        "initializers (as an exporter would) and compiles again; those tests note `frozen=` in their reason.",
        "",
        "## Per op",
        "",
        "Expanded tests (the op's ONNX function body, several nodes) count under the op they expand.",
        "",
        "| op | tests | passed | failed | unsupported | n/a | expanded passed/total |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, oc, exp_pass, exp_total, total in per_op(results):
        exp = f"{exp_pass}/{exp_total}" if exp_total else ""
        lines.append(f"| {_md(label)} | {total} | {oc['PASS']} | {oc['FAIL']} | {oc['UNSUPPORTED']} | "
                     f"{oc['N/A']} | {exp} |")
    lines.append(f"| **total** | {len(results)} | {c['PASS']} | {c['FAIL']} | {c['UNSUPPORTED']} | "
                 f"{c['N/A']} | {sum(r['status'] == 'PASS' for r in results if r['expanded'])}/{n_exp} |")
    lines += ["", "## Unsupported: the 30 ops with the most tests", "",
              "| op | unsupported tests | most common reason (tests) |", "|---|---:|---|"]
    for label, n, (reason, rn) in top_unsupported_ops(results):
        lines.append(f"| {_md(label)} | {n} | {_md(reason)} ({rn}) |")
    lines += ["", "## Unsupported: onnxc's reasons, grouped", "",
              "Names in quotes replaced by '…'.", "", "| tests | reason |", "|---:|---|"]
    for reason, n in unsupported_reasons(results):
        lines.append(f"| {n} | {_md(reason)} |")
    sus = [r for r in results if suspect(r)]
    lines += ["", f"## Unsupported with an internal-looking error ({len(sus)})", "",
              "onnxc exited 1 (refused), but the message is an internal error or an MLIR verifier "
              "message: most likely onnxc bugs rather than missing features.", ""]
    for r in sorted(sus, key=lambda r: r["name"]):
        lines.append(f"- `{r['name']}` ({op_label(r)}{', expanded' if r['expanded'] else ''}): {_md(r['reason'])}")
    if not sus:
        lines.append("- none")
    lines += ["", f"## Failing tests ({c['FAIL']})", ""]
    _test_list(lines, results, "FAIL")
    lines += ["", f"## Unsupported tests ({c['UNSUPPORTED']})", ""]
    _test_list(lines, results, "UNSUPPORTED")
    lines += ["", f"## Not applicable by design ({c['N/A']})", ""]
    _test_list(lines, results, "N/A")
    return "\n".join(lines) + "\n"
