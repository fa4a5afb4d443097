#!/usr/bin/env python3
"""Lists public top-level types of src/main/java whose simple name appears in no source file of another package
(main or test) and not in README.md (whose Java blocks JavaApiExampleTest compiles): the candidates for
package-private. Usage: scripts/unused-public-types.py [--count]"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DECL = re.compile(r'^public\s+((?:final|abstract|sealed|non-sealed|static|strictfp)\s+)*'
                  r'(class|interface|record|enum|@interface)\s+(\w+)', re.M)
PKG = re.compile(r'^package\s+([\w.]+);', re.M)


def sources():
    files = list((ROOT / 'src/main/java').rglob('*.java')) + list((ROOT / 'src/test/java').rglob('*.java'))
    out = []
    for f in files:
        text = f.read_text(encoding='utf-8')
        m = PKG.search(text)
        out.append((f, m.group(1) if m else '', text))
    return out


def main():
    all_sources = sources()
    readme = (ROOT / 'README.md').read_text(encoding='utf-8')
    public, unused = [], []
    for f, pkg, text in all_sources:
        if not str(f).startswith(str(ROOT / 'src/main/java')):
            continue
        m = DECL.search(text)
        if not m or m.group(3) != f.stem:
            continue
        name = m.group(3)
        public.append((pkg, name, f))
        word = re.compile(r'\b' + re.escape(name) + r'\b')
        used = word.search(readme) or any(p != pkg and word.search(t) for _, p, t in all_sources)
        if not used:
            unused.append((pkg, name, f))
    if '--count' in sys.argv:
        print(f'{len(public)} public top-level types, {len(unused)} named in no other package')
        return
    for pkg, name, f in unused:
        print(f.relative_to(ROOT))


if __name__ == '__main__':
    main()
