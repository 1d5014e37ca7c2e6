"""Figures for corpus llamabench-kyuz0-ryzenaihalo-profiles (llama-bench -o jsonl depth curves on one Ryzen AI Max+ 395,
default power profile vs performance profile with IOMMU off; curve_summary.csv restates the jsonl).
Usage: python llamabench-kyuz0-ryzenaihalo-profiles.py <corpus_root>/llamabench-kyuz0-ryzenaihalo-profiles"""
import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1]
rows = []
for path in sorted(glob.glob(os.path.join(root, '*', '*.jsonl'))):
    rel = os.path.relpath(path, root)
    for line in open(path):
        if line.strip():
            d = json.loads(line)
            d['file'] = rel
            rows.append(d)
df = pd.DataFrame(rows)
df['profile'] = df.file.str.split('/').str[0].str.replace('llamacpp_toolboxes_bench_results-', '', regex=False)
df['model'] = df.file.str.split('/').str[1].str.split('__').str[0]
df['series'] = df.file.str.extract(r'curve-(prefill|generation)', expand=False)
df['mean_samples'] = df.samples_ts.map(lambda s: sum(s) / len(s))
df['test'] = df.apply(lambda r: (f"pp{r.n_prompt}" if r.n_prompt else f"tg{r.n_gen}") + (f"@d{r.n_depth}" if r.n_depth else ''), axis=1)
print('jsonl_files', df.file.nunique(), 'rows', len(df), 'rows_per_file', sorted(df.groupby('file').size().unique().tolist()))
print('samples_per_row', sorted(df.samples_ts.map(len).unique().tolist()))
print('depths', sorted(df.n_depth.unique().tolist()))
print('n_ubatch_per_model', df.groupby('model').n_ubatch.first().to_dict())
print('profile_time_span', df.groupby('profile').test_time.agg(['min', 'max']).to_dict('index'))
stderr = {os.path.relpath(p, root): os.path.getsize(p) for p in glob.glob(os.path.join(root, '*', '*.stderr.log'))}
print('stderr_files', len(stderr), 'sizes', sorted(set(stderr.values())))
print('stderr_long', sorted(k for k, s in stderr.items() if s > 200))
# curve_summary.csv vs jsonl
for prof in sorted(df.profile.unique()):
    c = pd.read_csv(os.path.join(root, f'llamacpp_toolboxes_bench_results-{prof}', 'curve_summary.csv'))
    j = df[df.profile == prof]
    key_c = c.assign(nd=c.starting_depth).set_index(['model', 'series', 'nd']).avg_ts.sort_index()
    key_j = j.assign(series=j.series.map({'prefill': 'prefill', 'generation': 'generation'})).set_index(['model', 'series', 'n_depth']).avg_ts.sort_index()
    print('curve_summary', prof, 'rows', len(c), 'max_abs_diff_vs_jsonl', float((key_c.values - key_j.values).__abs__().max()), 'same_keys', list(key_c.index) == list(key_j.index))

def v(prof, model, test):
    s = df[(df.profile == prof) & (df.model == model) & (df.test == test)]
    assert len(s) == 1, (prof, model, test, len(s))
    return float(s.mean_samples.iloc[0])

P = ['default-profile', 'profile_performance_iommu-off']
for model in sorted(df.model.unique()):
    for t in ['tg128', 'pp2048', 'tg128@d65536', 'pp2048@d65536']:
        a, b = v(P[0], model, t), v(P[1], model, t)
        print(f'{model}|{t}|default', round(a, 4), '|perf_iommu_off', round(b, 4), '|ratio_perf_over_default', round(b / a, 4))
# mean ratio perf/default over all 90 matched points
m = df.pivot_table(index=['model', 'test'], columns='profile', values='mean_samples')
ratio = m[P[1]] / m[P[0]]
print('all_points_ratio_perf_over_default mean', round(float(ratio.mean()), 4), 'min', round(float(ratio.min()), 4), 'max', round(float(ratio.max()), 4), 'n', len(ratio))
for s in ['pp', 'tg']:
    rr = ratio[[t.startswith(s) for t in ratio.index.get_level_values('test')]]
    print(f'ratio_{s}_mean', round(float(rr.mean()), 4), 'n', len(rr))
# model ranking on tg128 depth 0 (default profile) and pp2048
d0 = df[(df.profile == P[0]) & (df.n_depth == 0)]
print('rank_tg128_default', [(r.model, round(r.mean_samples, 3)) for r in d0[d0.test == 'tg128'].sort_values('mean_samples', ascending=False).itertuples()])
print('rank_pp2048_default', [(r.model, round(r.mean_samples, 3)) for r in d0[d0.test == 'pp2048'].sort_values('mean_samples', ascending=False).itertuples()])
print('qwen36_35b_Q4KXL_over_Q8KXL_tg128', round(v(P[0], 'Qwen3.6-35B-A3B-UD-Q4_K_XL', 'tg128') / v(P[0], 'Qwen3.6-35B-A3B-UD-Q8_K_XL', 'tg128'), 4))
print('qwen36_35b_Q4KXL_over_Q8KXL_pp2048', round(v(P[0], 'Qwen3.6-35B-A3B-UD-Q4_K_XL', 'pp2048') / v(P[0], 'Qwen3.6-35B-A3B-UD-Q8_K_XL', 'pp2048'), 4))
# figure ids of truths/llamabench-kyuz0-ryzenaihalo-profiles.yaml
q4, q8, d27, big = 'Qwen3.6-35B-A3B-UD-Q4_K_XL', 'Qwen3.6-35B-A3B-UD-Q8_K_XL', 'Qwen3.6-27B-Q8_0', 'Qwen3.5-122B-A10B-UD-Q4_K_XL-00001-of-00003'
pp_r = ratio[[t.startswith('pp') for t in ratio.index.get_level_values('test')]].mean()
tg_r = ratio[[t.startswith('tg') for t in ratio.index.get_level_values('test')]].mean()
FIG = {'f1': v(P[0], q4, 'pp2048'), 'f2': v(P[1], q4, 'pp2048'), 'f3': v(P[0], q4, 'tg128'), 'f4': v(P[1], q4, 'tg128'),
       'f5': v(P[0], d27, 'tg128'), 'f6': v(P[1], d27, 'tg128'), 'f7': v(P[0], q8, 'pp2048'), 'f8': v(P[0], q8, 'tg128'),
       'f9': v(P[0], big, 'tg128@d65536'), 'f10': v(P[1], big, 'tg128@d65536'), 'f11': float(pp_r), 'f12': float(tg_r),
       'f13': v(P[0], q4, 'pp2048@d65536'), 'f14': len(df)}
for k, x in FIG.items():
    print(k, round(x, 4))
