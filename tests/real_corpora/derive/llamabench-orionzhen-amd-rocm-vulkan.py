"""Figures for corpus llamabench-orionzhen-amd-rocm-vulkan (llama-bench -o json, two AMD machines x three backends).
Usage: python llamabench-orionzhen-amd-rocm-vulkan.py <corpus_root>/llamabench-orionzhen-amd-rocm-vulkan"""
import glob
import json
import os
import sys

import pandas as pd

root = sys.argv[1]
frames = []
for path in sorted(glob.glob(os.path.join(root, '**', '*.json'), recursive=True)):
    rel = os.path.relpath(path, root)
    rows = json.load(open(path))
    df = pd.DataFrame(rows)
    df['file'] = rel
    frames.append(df)
df = pd.concat(frames, ignore_index=True)

def machine(g):
    return 'RX 7900 XTX' if '7900 XTX' in g else ('Radeon 8060S (Ryzen AI Max+ 395)' if '8060S' in g else g)
df['machine'] = df.gpu_info.map(machine)
df['mean_samples'] = df.samples_ts.map(lambda s: sum(s) / len(s))
df['n_samples'] = df.samples_ts.map(len)
df['test'] = df.apply(lambda r: (f"pp{r.n_prompt}" if r.n_prompt else f"tg{r.n_gen}") + (f"@d{r.n_depth}" if r.n_depth else ''), axis=1)
df['stale'] = df.file.str.startswith('stale')

print('rows_per_file', df.groupby('file').size().to_dict())
print('samples_per_row', sorted(df.n_samples.unique()))
print('max_abs_diff_avg_ts_vs_samples_mean', float((df.avg_ts - df.mean_samples).abs().max()))
print('files_backends', df.groupby('file')[['gpu_info', 'backends', 'build_commit']].first().to_dict('index'))

def val(file_sub, test):
    sel = df[df.file.str.contains(file_sub, regex=False) & (df.test == test)]
    assert len(sel) == 1, (file_sub, test, len(sel))
    return float(sel.mean_samples.iloc[0])

F = {
 'xtx_rocm': 'results/amd-7900xtx/rocm-7.12', 'xtx_amdvlk': 'results/amd-7900xtx/vulkan-amdvlk', 'xtx_radv': 'results/amd-7900xtx/vulkan-radv',
 's_rocm': 'results/amd-8060s/rocm-7.12', 's_amdvlk': 'results/amd-8060s/vulkan-amdvlk', 's_radv': 'results/amd-8060s/vulkan-radv',
 's_rocm_stale': 'stale/'}
out = {}
for k, f in F.items():
    for t in ['pp512', 'pp2048', 'tg128', 'tg128@d8192', 'pp512@d8192']:
        out[f'{k}_{t}'] = val(f, t)
for k, v in out.items():
    print(k, round(v, 4))
ratios = {
 'ratio_xtx_over_8060s_rocm_tg128': out['xtx_rocm_tg128'] / out['s_rocm_tg128'],
 'ratio_xtx_over_8060s_rocm_pp512': out['xtx_rocm_pp512'] / out['s_rocm_pp512'],
 'ratio_xtx_over_8060s_radv_tg128': out['xtx_radv_tg128'] / out['s_radv_tg128'],
 'ratio_xtx_over_8060s_radv_pp512': out['xtx_radv_pp512'] / out['s_radv_pp512'],
 'xtx_rocm_over_radv_pp512': out['xtx_rocm_pp512'] / out['xtx_radv_pp512'],
 'xtx_radv_over_rocm_tg128': out['xtx_radv_tg128'] / out['xtx_rocm_tg128'],
 's_rocm_over_radv_pp512': out['s_rocm_pp512'] / out['s_radv_pp512'],
 's_radv_over_rocm_tg128': out['s_radv_tg128'] / out['s_rocm_tg128'],
 's_rocm_current_over_stale_pp512': out['s_rocm_pp512'] / out['s_rocm_stale_pp512'],
 's_rocm_current_over_stale_tg128': out['s_rocm_tg128'] / out['s_rocm_stale_tg128'],
 'xtx_rocm_tg128_d8192_over_d0': out['xtx_rocm_tg128@d8192'] / out['xtx_rocm_tg128'],
 's_rocm_tg128_d8192_over_d0': out['s_rocm_tg128@d8192'] / out['s_rocm_tg128'],
}
for k, v in ratios.items():
    print(k, round(v, 4))
# best backend per machine and test (non-stale)
cur = df[~df.stale & (df.n_depth == 0)]
for (m, t), g in cur[cur.test.isin(['pp512', 'tg128'])].groupby(['machine', 'test']):
    best = g.loc[g.mean_samples.idxmax()]
    print('best_backend', m, t, best.backends, round(best.mean_samples, 4))
# n_gen sweep trend on tg at depth 0: tg128 vs tg8192 on 7900 XTX ROCm
print('xtx_rocm_tg8192', round(val(F['xtx_rocm'], 'tg8192'), 4))
print('xtx_rocm_pp8192', round(val(F['xtx_rocm'], 'pp8192'), 4))
print('time_span', df.groupby('file').test_time.agg(['min', 'max']).to_dict('index'))
# same-build (01ec0cc) ROCm comparison across machines: 7900 XTX file vs the stale 8060S file
print('ratio_xtx_over_8060s_rocm_samebuild_pp512', round(out['xtx_rocm_pp512'] / out['s_rocm_stale_pp512'], 4))
print('ratio_xtx_over_8060s_rocm_samebuild_tg128', round(out['xtx_rocm_tg128'] / out['s_rocm_stale_tg128'], 4))
print('model_size_bytes', sorted(df.model_size.unique().tolist()), 'model_types', sorted(df.model_type.unique()))
# figure ids of truths/llamabench-orionzhen-amd-rocm-vulkan.yaml
FIG = {'f1': out['xtx_rocm_tg128'], 'f2': out['s_rocm_tg128'], 'f3': out['xtx_radv_tg128'], 'f4': out['s_radv_tg128'],
       'f5': out['xtx_radv_pp512'], 'f6': out['s_radv_pp512'], 'f7': out['xtx_rocm_pp512'], 'f8': out['s_rocm_pp512'],
       'f9': out['s_rocm_stale_pp512'], 'f10': out['s_rocm_stale_tg128'], 'f11': out['s_amdvlk_tg128'], 'f12': out['xtx_amdvlk_tg128'],
       'f13': out['xtx_rocm_tg128@d8192'], 'f14': ratios['ratio_xtx_over_8060s_radv_tg128'], 'f15': ratios['ratio_xtx_over_8060s_radv_pp512'],
       'f16': ratios['s_rocm_current_over_stale_pp512'], 'f17': out['xtx_rocm_pp512'] / out['s_rocm_stale_pp512'],
       'f18': ratios['ratio_xtx_over_8060s_rocm_tg128'], 'f19': int(df.groupby('file').size().iloc[0])}
for k, x in FIG.items():
    print(k, round(x, 4))
