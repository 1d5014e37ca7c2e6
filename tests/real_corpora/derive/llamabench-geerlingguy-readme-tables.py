"""Figures for corpus llamabench-geerlingguy-readme-tables (one README with per-model Markdown tables of
System | CPU/GPU | Eval Rate | Power (Peak) over ~50 machines).
Usage: python llamabench-geerlingguy-readme-tables.py <corpus_root>/llamabench-geerlingguy-readme-tables"""
import os
import re
import sys

import pandas as pd

root = sys.argv[1]
text = open(os.path.join(root, 'README.md'), encoding='utf-8').read()
findings = text.split('## Findings', 1)[1].split('## Further Reading', 1)[0]
rows, section = [], None
for line in findings.splitlines():
    if line.startswith('### '):
        section = line[4:].strip()
        continue
    if not line.startswith('|') or section is None:
        continue
    cells = [c.strip() for c in line.strip().strip('|').split('|')]
    if cells[0] in ('System', ':---') or cells[0].startswith(':--'):
        continue
    system_md = cells[0]
    name = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', system_md)       # drop links
    vulkan = '<sup>1</sup>' in name
    name = name.replace('<sup>1</sup>', '').strip()
    m = re.match(r'([\d.]+)\s*Tokens/s', cells[2])
    power = cells[3]
    pw = re.match(r'([\d.]+)\s*W', power)
    rows.append(dict(section=section, system=name, kind=cells[1], eval_rate=float(m.group(1)) if m else None,
                     power_w=float(pw.group(1)) if pw else None, power_raw=power, llamacpp_vulkan=vulkan,
                     link=(re.search(r'\((https?://[^)]*)\)', system_md) or [None, None])[1]))
df = pd.DataFrame(rows)
print('sections', df.section.unique().tolist())
print('rows_per_section', df.groupby('section', sort=False).size().to_dict())
print('rows_total', len(df), 'power_NA', int((df.power_raw == 'N/A').sum()), 'vulkan_footnote_rows', int(df.llamacpp_vulkan.sum()),
      'rows_without_link', int(df.link.isna().sum()))
print('kinds', df.kind.value_counts().to_dict())
# sort-order violations (tables claim descending eval rate)
for sec, g in df.groupby('section', sort=False):
    r = g.eval_rate.tolist()
    bad = [(g.system.iloc[i], r[i], g.system.iloc[i + 1], r[i + 1]) for i in range(len(r) - 1) if r[i] < r[i + 1]]
    if bad:
        print('order_violation', sec, bad)

def v(sec, sys_sub):
    s = df[(df.section == sec) & (df.system == sys_sub)]
    assert len(s) == 1, (sec, sys_sub, s.system.tolist())
    return float(s.eval_rate.iloc[0])

F = {
 'l32_265k_4090': v('Llama 3.2:3b', 'Intel 265K Custom PC (Nvidia RTX 4090)'),
 'l32_cm5_4090': v('Llama 3.2:3b', 'Pi CM5 - 16GB (Nvidia RTX 4090)'),
 'l32_m3ultra': v('Llama 3.2:3b', 'Mac Studio (M3 Ultra 512GB)'),
 'l32_m4mini': v('Llama 3.2:3b', 'M4 Mac mini (10 core - 32GB)'),
 'l32_pi5_16': v('Llama 3.2:3b', 'Pi 5 - 16GB'),
 'oss_265k_4090': v('gpt-oss 20b', 'Intel 265K Custom PC (Nvidia RTX 4090)'),
 'oss_cm5_4090': v('gpt-oss 20b', 'Pi CM5 - 16GB (Nvidia RTX 4090)'),
 'oss_265k_r9700': v('gpt-oss 20b', 'Intel 265K Custom PC (AMD Radeon AI Pro R9700)'),
 'oss_cm5_r9700': v('gpt-oss 20b', 'Pi CM5 - 16GB (AMD Radeon AI Pro R9700)'),
 'ds14_265k_4090': v('DeepSeek R1 14b', 'Intel 265K Custom PC (Nvidia RTX 4090)'),
 'ds14_pi5': v('DeepSeek R1 14b', 'Pi 5 - 16GB'),
 'l70_m3ultra': v('Llama 3.1:70b', 'Mac Studio (M3 Ultra 512GB)'),
 'l70_7900x_4090': v('Llama 3.1:70b', 'Ryzen 9 7900X (Nvidia 4090)'),
}
for k, x in F.items():
    print(k, x)
r = lambda a, b: round(F[a] / F[b], 4)
print('l32_host_265k_over_cm5_rtx4090', r('l32_265k_4090', 'l32_cm5_4090'))
print('oss_host_265k_over_cm5_rtx4090', r('oss_265k_4090', 'oss_cm5_4090'))
print('oss_host_265k_over_cm5_r9700', r('oss_265k_r9700', 'oss_cm5_r9700'))
print('l32_m3ultra_over_m4mini', r('l32_m3ultra', 'l32_m4mini'))
print('l32_4090_over_pi5', r('l32_265k_4090', 'l32_pi5_16'))
print('l70_m3ultra_over_7900x_4090', r('l70_m3ultra', 'l70_7900x_4090'))
print('ds14_4090_over_pi5', r('ds14_265k_4090', 'ds14_pi5'))
print('distinct_systems', df.system.nunique())
# figure ids of truths/llamabench-geerlingguy-readme-tables.yaml
FIG = {'f1': F['l32_265k_4090'], 'f2': F['l32_cm5_4090'], 'f3': F['l32_m3ultra'], 'f4': F['l32_m4mini'], 'f5': F['l32_pi5_16'],
       'f6': F['oss_265k_r9700'], 'f7': F['oss_cm5_r9700'], 'f8': F['l70_m3ultra'], 'f9': F['l70_7900x_4090'], 'f10': F['ds14_265k_4090'],
       'f11': F['ds14_pi5'], 'f12': F['l32_m3ultra'] / F['l32_m4mini'], 'f13': F['l32_265k_4090'] / F['l32_pi5_16'], 'f14': len(df)}
for k, x in FIG.items():
    print(k, round(x, 4))
