#!/usr/bin/env python3
"""Lists public methods of the public top-level classes of Octet's internal packages that no source file of another
package (main or test) and not README.md calls by name (".name(", "::name", static import): the candidates for
package-private. The user-facing API (Octet, CompileOptions, CompiledModel, ir, data, quant, the tuning API), the
command line, interfaces and files read by reflection (Jackson) are left out. A name shared with a method called
elsewhere counts as used, so the list errs towards public.
Usage: scripts/unused-public-methods.py [--count | --apply]  (--apply drops `public` from each; compile after)"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAIN = ROOT / 'src/main/java'
INTERNAL = ('dev.octet.pass', 'dev.octet.kernel', 'dev.octet.codegen', 'dev.octet.build', 'dev.octet.runtime',
            'dev.octet.tune', 'dev.octet.eval', 'dev.octet.ir.op', 'dev.octet.verify', 'dev.octet.zoo',
            'dev.octet.oracle', 'dev.octet.bundle', 'dev.octet.io')
SKIP_FILES = {'runtime/CompiledModel.java', 'tune/ModelTuning.java', 'tune/TunedConfigs.java', 'tune/TuningLog.java',
              'tune/TuningRecord.java', 'tune/BestRecords.java', 'bundle/BundleManifest.java',
              'bundle/RecordedConfigs.java', 'ir/op/quant/QuantMath.java', 'eval/ConfidenceInterval.java'}
SKIP_PACKAGES = ('dev.octet.tune.model',)
PKG = re.compile(r'^package\s+([\w.]+);', re.M)
CLASS = re.compile(r'^public\s+((?:final|abstract|sealed|non-sealed|static)\s+)*(class|record|enum)\s+(\w+)', re.M)
METHOD = re.compile(r'^    public\s+((?:static|final|synchronized|abstract|default)\s+)*(?:<[^>]+>\s+)?'
                    r'[\w.<>\[\]?, ]+?\s+(\w+)\(')


def main():
    files = list(MAIN.rglob('*.java')) + list((ROOT / 'src/test/java').rglob('*.java'))
    texts = {}
    for f in files:
        t = f.read_text(encoding='utf-8')
        m = PKG.search(t)
        texts[f] = (m.group(1) if m else '', t)
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    found = []
    for f, (pkg, text) in texts.items():
        rel = str(f.relative_to(MAIN)) if f.is_relative_to(MAIN) else None
        if rel is None or not pkg.startswith(INTERNAL) or pkg.startswith(SKIP_PACKAGES):
            continue
        if rel.removeprefix('dev/octet/') in SKIP_FILES or not CLASS.search(text):
            continue
        lines = text.split('\n')
        for i, line in enumerate(lines):
            m = METHOD.match(line)
            if not m or m.group(2) == 'main' or re.match(r'\s+public\s+(static\s+)?(final\s+)?(record|class|enum|interface)\b',
                                                          line):
                continue
            prev = lines[i - 1].strip()
            if prev.startswith('@Override'):
                continue
            name = m.group(2)
            call = re.compile(r'(\.' + name + r'\s*\(|::' + name + r'\b|\.' + name + r';)')
            used = call.search(readme) or any(p != pkg and call.search(t) for g, (p, t) in texts.items())
            if not used:
                found.append((f, i, name))
    if '--count' in sys.argv:
        print(f'{len(found)} public methods called from no other package')
    elif '--apply' in sys.argv:
        by_file = {}
        for f, i, name in found:
            by_file.setdefault(f, []).append(i)
        for f, idx in by_file.items():
            lines = texts[f][1].split('\n')
            for i in idx:
                lines[i] = lines[i].replace('    public ', '    ', 1)
            f.write_text('\n'.join(lines), encoding='utf-8')
        print(f'{len(found)} methods in {len(by_file)} files')
    else:
        for f, i, name in found:
            print(f'{f.relative_to(ROOT)}:{i + 1}: {name}')


if __name__ == '__main__':
    main()
