"""Rewrites kernel launches (name<<<grid, block>>>(args)) as emu_launch calls so that g++ compiles
the .cu sources against emulation/cuda_runtime.h. Usage: convert.py CUDA_DIR OUT_DIR"""
import re, sys, pathlib
src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
for f in list(src.glob('*.cu')) + list(src.glob('*.cuh')) + list(src.glob('*.h')) + list(src.glob('*.cpp')):
    s = f.read_text()
    out, i = [], 0
    while True:
        k = s.find('<<<', i)
        if k < 0: out.append(s[i:]); break
        m = re.search(r'([A-Za-z_]\w*)\s*$', s[i:k]); name_start = i + m.start(1)
        e = s.find('>>>', k); cfg = s[k+3:e]
        # split cfg at top-level comma
        depth = 0
        for pos, ch in enumerate(cfg):
            if ch in '([<': depth += 1
            elif ch in ')]' or (ch == '>' and cfg[pos-1] != '-'): depth -= 1
            elif ch == ',' and depth == 0: break
        g, b = cfg[:pos], cfg[pos+1:]
        a0 = s.index('(', e); depth = 0
        for pos2 in range(a0, len(s)):
            if s[pos2] == '(': depth += 1
            elif s[pos2] == ')':
                depth -= 1
                if depth == 0: break
        args = s[a0+1:pos2]
        out.append(s[i:name_start])
        out.append(f'emu_launch(dim3({g}), dim3({b}), [&] {{ {m.group(1)}({args}); }})')
        i = pos2 + 1
    name = f.name.replace('.cu', '.cu.cpp') if f.suffix in ('.cu',) else f.name
    (dst / name).write_text(''.join(out))
