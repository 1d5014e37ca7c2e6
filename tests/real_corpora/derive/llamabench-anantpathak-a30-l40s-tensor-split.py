"""Figures for corpus llamabench-anantpathak-a30-l40s-tensor-split (bench-script Markdown reports
holding llama-bench -o md tables with llama.cpp's stderr, ORCA cluster nodes with NVIDIA A30 and L40S).
Usage: python llamabench-anantpathak-a30-l40s-tensor-split.py <corpus_root>/llamabench-anantpathak-a30-l40s-tensor-split"""
import glob
import os
import re
import sys

import pandas as pd

root = sys.argv[1]
rows = []
for path in sorted(glob.glob(os.path.join(root, 'aaron', '**', 'benchmark_results_*.md'), recursive=True)):
    f = os.path.relpath(path, root)
    text = open(path, encoding='utf-8').read()
    node = re.search(r'\*\*Node:\*\* (\S+)', text).group(1)
    nvsmi = re.findall(r'^(?:\d, )?(NVIDIA [A-Z0-9]+), \d+ MiB', text, re.M)  # nvidia-smi csv lines
    section, devices, header = None, [], None
    for line in text.splitlines():
        if line.startswith('## '):
            section = line[3:].strip()
        m = re.match(r'ggml_cuda_init: found (\d+) CUDA devices', line)
        if m:
            devices = []
        if 'failed to initialize CUDA' in line:
            devices = []
        m = re.match(r'\s+Device (\d+): ([^,]+),', line)
        if m:
            devices.append(m.group(2))
        if line.startswith('| model'):
            header = [c.strip() for c in line.strip().strip('|').split('|')]
            continue
        if header and line.startswith('| qwen3'):
            cells = dict(zip(header, [c.strip() for c in line.strip().strip('|').split('|')]))
            rate, std = cells['t/s'].split('±')
            rows.append({'file': f, 'node': node, 'nvsmi_gpus': len(nvsmi), 'gpu': nvsmi[0] if nvsmi else None,
                         'section': section, 'visible': len(devices), 'ts': cells.get('ts'),
                         'threads': cells['threads'], 'backend': cells['backend'], 'model': cells['model'],
                         'test': cells['test'], 'ts_mean': float(rate), 'ts_std': float(std)})
        if not line.startswith('|'):
            header = header if line.strip() == '' else None if line.startswith('build:') else header
df = pd.DataFrame(rows)
# a 1-GPU job's nvidia-smi line lacks the index: the GPU of orcaga02 is only in the device lines
df.loc[df.gpu.isna(), 'gpu'] = 'NVIDIA L40S'
print('rows', len(df), 'per file', df.groupby('file').size().to_dict())
print('node/gpu/nvsmi per file', df.groupby('file')[['node', 'gpu', 'nvsmi_gpus']].first().to_dict('index'))
print('models', df.model.unique().tolist(), 'backends', df.backend.unique().tolist(), 'threads', df.threads.unique().tolist())
print('visible devices per file/section', df.groupby(['file', 'section']).visible.first().to_dict())
print('ts values', df.ts.dropna().unique().tolist())

single = df[~df.file.str.contains('4gpu')]
def sel(d, **kw):
    for k, v in kw.items():
        d = d[d[k] == v] if not (isinstance(v, str) and v.startswith('~')) else d[d[k].str.contains(v[1:])]
    return d

figs = {}
for gpu in ['NVIDIA L40S', 'NVIDIA A30']:
    for sec in ['CPU-Only', 'Partial', 'Full']:
        for test in ['pp512', 'tg128']:
            s = sel(single, gpu=gpu, test=test, section='~' + sec)
            figs[f'single|{gpu}|{sec}|{test}'] = (round(s.ts_mean.mean(), 4), len(s), sorted(s.file.tolist()))
four = df[df.file.str.contains('4gpu')]
for f in sorted(four.file.unique()):
    for ts in ['8.00', '0.00', '4.00']:
        for test in ['pp512', 'tg128']:
            s = sel(four, file=f, ts=ts, test=test)
            figs[f'4gpu|{f}|ts={ts}|{test}'] = (round(s.ts_mean.mean(), 4), len(s), [f])
for k, v in figs.items():
    print(k, v)
a30_4 = four[(four.gpu == 'NVIDIA A30') & (four.visible == 4)]
for ts in ['8.00', '0.00']:
    for test in ['pp512', 'tg128']:
        s = a30_4[(a30_4.ts == ts) & (a30_4.test == test)]
        print('4x A30 visible, ts', ts, test, round(s.ts_mean.mean(), 4), len(s), sorted(s.file.unique()))
s = four[(four.section.str.contains('Single')) & (four.gpu == 'NVIDIA A30')]
print('A30 Test 1 Single GPU tg128', round(s[s.test == 'tg128'].ts_mean.mean(), 4), len(s[s.test == 'tg128']))
print('A30 Test 1 Single GPU pp512', round(s[s.test == 'pp512'].ts_mean.mean(), 4), len(s[s.test == 'pp512']))
full = lambda g, t: figs[f'single|{g}|Full|{t}'][0]
print('L40S / A30 full offload tg128', round(full('NVIDIA L40S', 'tg128') / full('NVIDIA A30', 'tg128'), 4))
print('L40S / A30 full offload pp512', round(full('NVIDIA L40S', 'pp512') / full('NVIDIA A30', 'pp512'), 4))
print('tg rows', (df.test == 'tg128').sum(), 'pp rows', (df.test == 'pp512').sum())
