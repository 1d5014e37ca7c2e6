"""Figures for corpus llamabench-lhl-strixhalo-llama2-quants (harness-wrapped llama-bench jsonl: results.jsonl with
bench_raw + raw_runs.jsonl, two quantisations of llama-2-7b on one Strix Halo).
Usage: python llamabench-lhl-strixhalo-llama2-quants.py <corpus_root>/llamabench-lhl-strixhalo-llama2-quants"""
import json
import os
import sys

import pandas as pd

root = sys.argv[1]
Q = ['llama-2-7b.Q4_0', 'llama-2-7b.Q4_K_M']

def load(q):
    res = [json.loads(l) for l in open(os.path.join(root, q, 'results.jsonl')) if l.strip()]
    raw = [json.loads(l) for l in open(os.path.join(root, q, 'raw_runs.jsonl')) if l.strip()]
    df = pd.DataFrame(res)
    br = pd.json_normalize(df.bench_raw)
    df = pd.concat([df.drop(columns='bench_raw'), br.add_prefix('r.')], axis=1)
    df['mean_samples'] = df['r.samples_ts'].map(lambda s: sum(s) / len(s))
    df['nsamp'] = df['r.samples_ts'].map(len)
    df['day'] = df['r.test_time'].str[:10]
    return df, pd.DataFrame(raw)

D = {}
for q in Q:
    df, raw = load(q)
    D[q] = df
    same = (len(df) == len(raw)) and all(
        (df['r.test_time'].values == raw.test_time.values) & (df['r.avg_ts'].values == raw.avg_ts.values))
    print(q, 'results_rows', len(df), 'raw_rows', len(raw), 'raw_identical_to_bench_raw', same)
    print(q, 'samples_per_row', sorted(df.nsamp.unique().tolist()),
          'tokens_per_sec_equals_avg_ts', bool((df.tokens_per_sec == df['r.avg_ts']).all()))
    print(q, 'campaigns', df.groupby(['r.build_commit']).agg(rows=('value', 'size'), first=('r.test_time', 'min'), last=('r.test_time', 'max')).to_dict('index'))
    print(q, 'rows_per_build', df.groupby('build').size().to_dict())
    print(q, 'model_size', sorted(df['r.model_size'].unique().tolist()), df['r.model_type'].unique().tolist())

def v(q, build, hb, fa, mode, value, commit='83bc2f28'):
    df = D[q]
    s = df[(df.build == build) & (df.hipblaslt == hb) & (df.fa == fa) & (df['mode'] == mode) & (df.value == value) & (df['r.build_commit'] == commit)]
    assert len(s) == 1, (q, build, hb, fa, mode, value, commit, len(s))
    return float(s.mean_samples.iloc[0])

F = {}
for q in Q:
    vk = 'llama.cpp-vulkan_amdvlk' if q.endswith('Q4_0') else 'llama.cpp-vulkan'
    for name, (b, hb, fa) in {'hip': ('llama.cpp-hip', '', ''), 'hip_hblt': ('llama.cpp-hip', '1', ''), 'hip_fa': ('llama.cpp-hip', '', '-fa 1'),
                               'hip_hblt_fa': ('llama.cpp-hip', '1', '-fa 1'), 'wmma_hblt_fa': ('llama.cpp-rocwmma', '1', '-fa 1'),
                               'wmma_hblt': ('llama.cpp-rocwmma', '1', ''), 'amdvlk': (vk, '', ''), 'amdvlk_fa': (vk, '', '-fa 1')}.items():
        F[f'{q}|{name}|pp512'] = v(q, b, hb, fa, 'pp', 512)
        F[f'{q}|{name}|tg128'] = v(q, b, hb, fa, 'tg', 128)
F['llama-2-7b.Q4_0|radv|tg128'] = v('llama-2-7b.Q4_0', 'llama.cpp-vulkan_radv', '', '', 'tg', 128, '7ad67ba9')
F['llama-2-7b.Q4_0|radv|pp512'] = v('llama-2-7b.Q4_0', 'llama.cpp-vulkan_radv', '', '', 'pp', 512, '7ad67ba9')
F['llama-2-7b.Q4_0|amdvlk_0808|pp512'] = v('llama-2-7b.Q4_0', 'llama.cpp-vulkan_amdvlk', '', '', 'pp', 512, '7ad67ba9')
F['llama-2-7b.Q4_0|amdvlk_0808|tg128'] = v('llama-2-7b.Q4_0', 'llama.cpp-vulkan_amdvlk', '', '', 'tg', 128, '7ad67ba9')
F['llama-2-7b.Q4_K_M|hip_jul|tg128'] = v('llama-2-7b.Q4_K_M', 'llama.cpp-hip', '', '', 'tg', 128, 'a4575513')
F['llama-2-7b.Q4_K_M|hip_fa_jul|tg128'] = v('llama-2-7b.Q4_K_M', 'llama.cpp-hip', '', '-fa 1', 'tg', 128, 'a4575513')
F['llama-2-7b.Q4_K_M|hip_hblt_jul|pp512'] = v('llama-2-7b.Q4_K_M', 'llama.cpp-hip', '1', '', 'pp', 512, 'a4575513')
F['llama-2-7b.Q4_0|hip|pp32'] = v('llama-2-7b.Q4_0', 'llama.cpp-hip', '', '', 'pp', 32)
F['llama-2-7b.Q4_0|hip|pp64'] = v('llama-2-7b.Q4_0', 'llama.cpp-hip', '', '', 'pp', 64)
F['llama-2-7b.Q4_0|hip|tg4096'] = v('llama-2-7b.Q4_0', 'llama.cpp-hip', '', '', 'tg', 4096)
F['llama-2-7b.Q4_0|hip_fa|tg4096'] = v('llama-2-7b.Q4_0', 'llama.cpp-hip', '', '-fa 1', 'tg', 4096)
for k, x in F.items():
    print(k, round(x, 4))
r = lambda a, b: round(F[a] / F[b], 4)
print('Q40_hipblaslt_pp512_gain', r('llama-2-7b.Q4_0|hip_hblt|pp512', 'llama-2-7b.Q4_0|hip|pp512'))
print('Q40_hipblaslt_tg128_ratio', r('llama-2-7b.Q4_0|hip_hblt|tg128', 'llama-2-7b.Q4_0|hip|tg128'))
print('Q40_hip_fa_pp512_ratio', r('llama-2-7b.Q4_0|hip_fa|pp512', 'llama-2-7b.Q4_0|hip|pp512'))
print('Q40_wmma_hblt_fa_over_hip_hblt_fa_pp512', r('llama-2-7b.Q4_0|wmma_hblt_fa|pp512', 'llama-2-7b.Q4_0|hip_hblt_fa|pp512'))
print('quant_Q40_over_Q4KM_tg128_hip_hblt', r('llama-2-7b.Q4_0|hip_hblt|tg128', 'llama-2-7b.Q4_K_M|hip_hblt|tg128'))
print('quant_Q40_over_Q4KM_pp512_hip_hblt', r('llama-2-7b.Q4_0|hip_hblt|pp512', 'llama-2-7b.Q4_K_M|hip_hblt|pp512'))
print('quant_Q40_over_Q4KM_tg128_amdvlk', r('llama-2-7b.Q4_0|amdvlk|tg128', 'llama-2-7b.Q4_K_M|amdvlk|tg128'))
print('quant_Q40_over_Q4KM_pp512_amdvlk', r('llama-2-7b.Q4_0|amdvlk|pp512', 'llama-2-7b.Q4_K_M|amdvlk|pp512'))
print('Q4KM_hip_tg128_aug_over_jul', r('llama-2-7b.Q4_K_M|hip|tg128', 'llama-2-7b.Q4_K_M|hip_jul|tg128'))
print('Q4KM_hip_fa_tg128_aug_over_jul', r('llama-2-7b.Q4_K_M|hip_fa|tg128', 'llama-2-7b.Q4_K_M|hip_fa_jul|tg128'))
print('Q40_hip_pp64_over_pp32', r('llama-2-7b.Q4_0|hip|pp64', 'llama-2-7b.Q4_0|hip|pp32'))
print('Q40_fa_tg4096_gain', r('llama-2-7b.Q4_0|hip_fa|tg4096', 'llama-2-7b.Q4_0|hip|tg4096'))
# README: the summary table values come from the latest campaign (last row per config wins)
for q in Q:
    txt = open(os.path.join(root, q, 'README.md')).read().split('## Performance Charts')[0]
    cells = [[c.strip() for c in l.strip().strip('|').split('|')] for l in txt.splitlines() if l.startswith('| llama.cpp')]
    worst, n = 0.0, 0
    df = D[q]
    for c in cells:
        build, hb, fa = c[0], c[1], c[2]
        for col, mode, value in ((4, 'pp', 512), (5, 'tg', 128)):
            s = df[(df.build == build) & (df.hipblaslt == hb) & (df.fa == fa) & (df['mode'] == mode) & (df.value == value)]
            last = float(s.sort_values('r.test_time').tokens_per_sec.iloc[-1])
            worst = max(worst, abs(float(c[col].strip('*')) - last)); n += 1
    print(q, 'readme_summary_cells', n, 'max_abs_diff_vs_latest_campaign', round(worst, 6))
for q in Q:
    ri = json.load(open(os.path.join(root, q, 'run_info.json')))
    print(q, 'run_info', ri['start_time'], ri['end_time'], 'data_test_time', D[q]['r.test_time'].min(), D[q]['r.test_time'].max())
# figure ids of truths/llamabench-lhl-strixhalo-llama2-quants.yaml
a, b = 'llama-2-7b.Q4_0', 'llama-2-7b.Q4_K_M'
FIG = {'f1': F[f'{a}|hip|pp512'], 'f2': F[f'{a}|hip_hblt|pp512'], 'f3': F[f'{a}|hip|tg128'], 'f4': F[f'{a}|hip_hblt|tg128'],
       'f5': F[f'{b}|hip_hblt|tg128'], 'f6': F[f'{b}|hip_hblt|pp512'], 'f7': F[f'{a}|amdvlk|pp512'], 'f8': F[f'{b}|amdvlk|pp512'],
       'f9': F[f'{a}|amdvlk|tg128'], 'f10': F[f'{b}|amdvlk|tg128'], 'f11': F[f'{a}|wmma_hblt_fa|pp512'], 'f12': F[f'{a}|hip_hblt_fa|pp512'],
       'f13': F[f'{a}|hip_fa|pp512'], 'f14': F[f'{b}|hip_jul|tg128'], 'f15': F[f'{b}|hip|tg128'], 'f16': F[f'{b}|hip_fa_jul|tg128'],
       'f17': F[f'{b}|hip_fa|tg128'], 'f18': F[f'{a}|hip|pp32'], 'f19': F[f'{a}|hip|pp64'], 'f20': F[f'{a}|hip|tg4096'],
       'f21': F[f'{a}|hip_fa|tg4096'], 'f22': F[f'{a}|radv|tg128'], 'f23': F[f'{a}|amdvlk_0808|tg128'], 'f24': F[f'{a}|amdvlk_0808|pp512'],
       'f25': len(D[a]), 'f26': len(D[b])}
for k, x in FIG.items():
    print(k, round(x, 4))
