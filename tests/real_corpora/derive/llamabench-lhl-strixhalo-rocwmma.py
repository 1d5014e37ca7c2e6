"""Figures for corpus llamabench-lhl-strixhalo-rocwmma (llama-bench -o jsonl, one Strix Halo, HIP vs rocWMMA builds, depth sweeps).
Usage: python llamabench-lhl-strixhalo-rocwmma.py <corpus_root>/llamabench-lhl-strixhalo-rocwmma"""
import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1]
rows, nonjson = [], {}
for path in sorted(glob.glob(os.path.join(root, '*.jsonl'))):
    f = os.path.basename(path)
    nonjson[f] = 0
    for line in open(path, encoding='utf-8'):
        if not line.strip():
            continue
        if not line.lstrip().startswith('{'):
            nonjson[f] += 1  # stderr banner lines (ggml_cuda_init ...) mixed into the jsonl
            continue
        d = json.loads(line)
        d['file'] = f
        rows.append(d)
df = pd.DataFrame(rows)
df['model'] = df.file.str.split('.').str[0]
df['variant'] = df.file.str.split('.').str[1]
df['mean_samples'] = df.samples_ts.map(lambda s: sum(s) / len(s))
df['test'] = df.apply(lambda r: (f"pp{r.n_prompt}" if r.n_prompt else f"tg{r.n_gen}") + (f" @ d{r.n_depth}" if r.n_depth else ''), axis=1)
print('json_rows_total', len(df))
print('rows_per_file', df.groupby('file').size().to_dict())
print('nonjson_lines_per_file', {k: v for k, v in nonjson.items() if v})
print('samples_per_row', sorted(df.samples_ts.map(len).unique().tolist()))
print('build_commit_per_file', df.groupby('file').build_commit.first().to_dict())

def v(model, variant, test):
    s = df[(df.model == model) & (df.variant == variant) & (df.test == test)]
    assert len(s) == 1, (model, variant, test, len(s))
    return float(s.mean_samples.iloc[0])

figs = {}
for model in ['llama32-1b', 'gpt-oss-20b']:
    for variant in ['default-hip', 'default-rocwmma', 'lhl-tune-tile']:
        for t in ['pp512', 'tg128', 'pp512 @ d65536', 'tg128 @ d65536']:
            figs[f'{model}|{variant}|{t}'] = v(model, variant, t)
for variant in ['default-hip', 'default-rocwmma', 'lhl-tune-tile']:
    for t in ['pp512', 'tg128', 'pp512 @ d16384', 'tg128 @ d16384']:
        figs[f'shisa-v2-unphi4-14b|{variant}|{t}'] = v('shisa-v2-unphi4-14b', variant, t)
for k, x in figs.items():
    print(k, round(x, 4))
r = lambda a, b: round(figs[a] / figs[b], 4)
print('llama32_tile_over_hip_pp512_d65536', r('llama32-1b|lhl-tune-tile|pp512 @ d65536', 'llama32-1b|default-hip|pp512 @ d65536'))
print('llama32_rocwmma_over_hip_tg128_d65536', r('llama32-1b|default-rocwmma|tg128 @ d65536', 'llama32-1b|default-hip|tg128 @ d65536'))
print('llama32_tile_over_hip_tg128_d0', r('llama32-1b|lhl-tune-tile|tg128', 'llama32-1b|default-hip|tg128'))
print('gptoss_tile_over_hip_pp512_d65536', r('gpt-oss-20b|lhl-tune-tile|pp512 @ d65536', 'gpt-oss-20b|default-hip|pp512 @ d65536'))
print('gptoss_rocwmma_over_hip_tg128_d65536', r('gpt-oss-20b|default-rocwmma|tg128 @ d65536', 'gpt-oss-20b|default-hip|tg128 @ d65536'))
print('gptoss_tile_over_rocwmma_tg128_d65536', r('gpt-oss-20b|lhl-tune-tile|tg128 @ d65536', 'gpt-oss-20b|default-rocwmma|tg128 @ d65536'))
print('llama32_hip_pp512_d65536_over_d0', r('llama32-1b|default-hip|pp512 @ d65536', 'llama32-1b|default-hip|pp512'))
print('shisa_tile_missing_tests', sorted(set(df[(df.model == 'shisa-v2-unphi4-14b') & (df.variant == 'default-hip')].test) - set(df[(df.model == 'shisa-v2-unphi4-14b') & (df.variant == 'lhl-tune-tile')].test)))
# quick-test vs llama32-1b variants at d0 (which build was it?)
q = df[df.file == 'quick-test.jsonl'].set_index('test').mean_samples
print('quick_test', {k: round(x, 4) for k, x in q.items()})
print('lhl_tune_decode_tg128', round(float(df[df.file == 'llama32-1b.lhl-tune-decode.jsonl'].mean_samples.iloc[0]), 4))
print('llama32_lhl-tune_pp512', round(v('llama32-1b', 'lhl-tune', 'pp512'), 4), 'tg128_d65536', round(v('llama32-1b', 'lhl-tune', 'tg128 @ d65536'), 4))
# README tables vs data: every "| model | size | params | test | A | B | delta |" row
readme = open(os.path.join(root, 'README.md'), encoding='utf-8').read()
section_model = None
checked, worst = 0, 0.0
label_to_variant = {'HIP': 'default-hip', 'WMMA': 'default-rocwmma', 'default-rocwmma': 'default-rocwmma', 'lhl-tune-tile': 'lhl-tune-tile'}
header = None
for line in readme.splitlines():
    if line.startswith('### Llama 3.2 1B'):
        section_model = 'llama32-1b'
    elif line.startswith('### gpt-oss-20b'):
        section_model = 'gpt-oss-20b'
    cells = [c.strip() for c in line.strip().strip('|').split('|')] if line.startswith('|') else None
    if not cells:
        continue
    if cells[0] == 'model':
        header = cells
        continue
    if set(cells[0]) <= set('-: ') or header is None or section_model is None:
        continue
    test = cells[3]
    for col in (4, 5):
        var = label_to_variant[header[col]]
        data = v(section_model, var, test)
        diff = abs(float(cells[col]) - data)
        worst = max(worst, diff)
        checked += 1
print('readme_cells_checked', checked, 'readme_max_abs_diff', round(worst, 4))
# figure ids of truths/llamabench-lhl-strixhalo-rocwmma.yaml
FIG = {'f1': figs['llama32-1b|default-hip|pp512'], 'f2': figs['llama32-1b|default-hip|pp512 @ d65536'], 'f3': figs['llama32-1b|lhl-tune-tile|pp512 @ d65536'],
       'f4': figs['llama32-1b|default-rocwmma|tg128 @ d65536'], 'f5': figs['llama32-1b|default-hip|tg128 @ d65536'], 'f6': figs['llama32-1b|lhl-tune-tile|tg128 @ d65536'],
       'f7': figs['llama32-1b|default-hip|tg128'], 'f8': figs['llama32-1b|lhl-tune-tile|tg128'], 'f9': figs['gpt-oss-20b|default-rocwmma|tg128 @ d65536'],
       'f10': figs['gpt-oss-20b|default-hip|tg128 @ d65536'], 'f11': figs['gpt-oss-20b|lhl-tune-tile|tg128 @ d65536'], 'f12': figs['gpt-oss-20b|default-hip|pp512 @ d65536'],
       'f13': figs['gpt-oss-20b|lhl-tune-tile|pp512 @ d65536'], 'f14': figs['llama32-1b|lhl-tune-tile|pp512 @ d65536'] / figs['llama32-1b|default-hip|pp512 @ d65536'],
       'f15': figs['gpt-oss-20b|default-rocwmma|tg128 @ d65536'] / figs['gpt-oss-20b|default-hip|tg128 @ d65536'],
       'f16': figs['shisa-v2-unphi4-14b|default-hip|pp512 @ d16384'], 'f17': figs['shisa-v2-unphi4-14b|lhl-tune-tile|pp512 @ d16384'], 'f18': len(df)}
for k, x in FIG.items():
    print(k, round(x, 4))
