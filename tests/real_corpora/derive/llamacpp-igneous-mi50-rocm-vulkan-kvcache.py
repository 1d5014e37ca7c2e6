"""Figures for corpus llamacpp-igneous-mi50-rocm-vulkan-kvcache (a bench harness's console tables
against llama-server b9623 on one MI50 / gfx906: ROCm 7.2.3, ROCm 6.3.3, Vulkan, KV cache dtypes, MTP).
Usage: python llamacpp-igneous-mi50-rocm-vulkan-kvcache.py <corpus_root>/llamacpp-igneous-mi50-rocm-vulkan-kvcache"""
import os
import re
import sys

import pandas as pd

root = os.path.join(sys.argv[1], 'gemma4:12b+bge-m3_llama.cpp')
rows = []
for name in ['bench-rocm7.log', 'bench-rocm6.log', 'bench-vulkan.log', 'bench-kvcache.log', 'bench-mtp-rocm7.log']:
    lines = open(os.path.join(root, name), encoding='utf-8').read().splitlines()
    title, kv, header = None, None, None
    for line in lines:
        m = re.match(r'==== KV = (\S+)', line)
        if m:
            kv = m.group(1)
        if re.match(r'^(GEMMA|BGE)', line):
            title = line.split('(')[0].strip()
            header = None
            continue
        if line.strip().startswith('conc'):
            header = re.split(r'\s{2,}', line.strip())
            continue
        if header and re.match(r'^\s+\d', line):
            cells = line.split()
            assert len(cells) == len(header), (name, line)
            r = dict(zip(header, map(float, cells)))
            r.update(file=name, title=title, kv=kv or 'f16')
            rows.append(r)
        elif header and not line.strip():
            header = None
df = pd.DataFrame(rows)
df['phase'] = df.title.map(lambda t: 'embed' if t.startswith('BGE') else ('prefill' if 'PREFILL' in t else 'decode'))
print('rows per file', df.groupby('file').size().to_dict())
print('rows per file/phase', df.groupby(['file', 'phase']).size().to_dict())
print('conc values', sorted(df.conc.unique().tolist()))

def v(file, phase, conc, col, kv='f16'):
    s = df[(df.file == file) & (df.phase == phase) & (df.conc == conc) & (df.kv == kv)]
    assert len(s) == 1, (file, phase, conc, len(s))
    return float(s[col].iloc[0])

F = {}
for f in ['bench-rocm7.log', 'bench-rocm6.log', 'bench-vulkan.log']:
    F[f'{f}|embed c16 PP tot'] = v(f, 'embed', 16, 'PP tok/s tot')
    F[f'{f}|prefill c48 PP tot'] = v(f, 'prefill', 48, 'PP tok/s tot')
    F[f'{f}|decode c1 TG tot'] = v(f, 'decode', 1, 'TG tok/s tot')
    F[f'{f}|decode c16 TG tot'] = v(f, 'decode', 16, 'TG tok/s tot')
    F[f'{f}|embed c1 req/s'] = v(f, 'embed', 1, 'req/s')
for kv in ['f16', 'q8_0', 'q4_0']:
    F[f'kvcache|{kv}|decode c4 TG tot'] = v('bench-kvcache.log', 'decode', 4, 'TG tok/s tot', kv)
    F[f'kvcache|{kv}|decode c4 TG/s req'] = v('bench-kvcache.log', 'decode', 4, 'TG/s req', kv)
F['mtp|decode c4 TG tot'] = v('bench-mtp-rocm7.log', 'decode', 4, 'TG tok/s tot')
F['mtp|decode c4 TG/s req'] = v('bench-mtp-rocm7.log', 'decode', 4, 'TG/s req')
F['rocm7|decode c4 TG/s req'] = v('bench-rocm7.log', 'decode', 4, 'TG/s req')
for k, x in F.items():
    print(k, x)
print('ROCm7/Vulkan embed c16', round(F['bench-rocm7.log|embed c16 PP tot'] / F['bench-vulkan.log|embed c16 PP tot'], 4))
print('ROCm7/Vulkan prefill c48', round(F['bench-rocm7.log|prefill c48 PP tot'] / F['bench-vulkan.log|prefill c48 PP tot'], 4))
print('MTP/base c4 aggregate', round(F['mtp|decode c4 TG tot'] / v('bench-rocm7.log', 'decode', 4, 'TG tok/s tot'), 4))
print('MTP/base c4 per request', round(F['mtp|decode c4 TG/s req'] / F['rocm7|decode c4 TG/s req'], 4))
print('q4_0/f16 c4 aggregate', round(F['kvcache|q4_0|decode c4 TG tot'] / F['kvcache|f16|decode c4 TG tot'], 4))
emb = df[(df.phase == 'embed') & (df.file == 'bench-rocm7.log')]
print('ROCm7 embed mean over conc 4..48', round(emb[emb.conc >= 4]['PP tok/s tot'].mean(), 2), len(emb[emb.conc >= 4]))
