"""Figures for corpus llamaserver-isotopp-turboquant-kv-m5max (isotopp/llama-benchmark: a Python client's
runs against a TurboQuant llama-server on an Apple M5 Max; three of its 32 configurations: Qwen3.6-27B Q4_K_M
with Turbo3 and Turbo4 KV cache, Qwen3.6-35B-A3B Q4_K_M with Turbo3, symmetric on).
Usage: python llamaserver-isotopp-turboquant-kv-m5max.py <corpus_root>/llamaserver-isotopp-turboquant-kv-m5max"""
import glob
import json
import os
import re
import sys

import pandas as pd

root = sys.argv[1]
runs = []
for path in sorted(glob.glob(os.path.join(root, 'benchmark_results_kris', '*', 'raw', '*.json'))):
    folder = path.split(os.sep)[-3]
    test, phase, n = re.match(r'(.+)-(warmup|measured)-(\d+)\.json$', os.path.basename(path)).groups()
    t = json.load(open(path))['timings']
    runs.append({'folder': folder, 'model': json.load(open(path))['model'], 'test': test, 'phase': phase,
                 'run': int(n), 'prompt_n': t['prompt_n'], 'predicted_n': t['predicted_n'],
                 'prompt_tps': t['prompt_per_second'], 'predicted_tps': t['predicted_per_second']})
raw = pd.DataFrame(runs)
raw['kv'] = raw.folder.str.extract(r'-(turbo\d)-')[0]
print('raw answers per folder/phase', raw.groupby(['folder', 'phase']).size().to_dict())
print('models', raw.model.unique().tolist())

csvs = []
for path in sorted(glob.glob(os.path.join(root, 'benchmark_results_kris', '*', 'results.csv'))):
    df = pd.read_csv(path)
    df['folder'] = path.split(os.sep)[-2]
    csvs.append(df)
csv = pd.concat(csvs)
print('csv rows per folder/phase', csv.groupby(['folder', 'phase']).size().to_dict())
# the CSV restates the raw answers' timings (same runs): check row by row
m = csv.merge(raw, left_on=['folder', 'test', 'phase', 'run'], right_on=['folder', 'test', 'phase', 'run'])
print('csv rows matching a raw answer exactly (prompt_n, predicted_n, rates to 1e-9)',
      int(((m.prompt_n_x == m.prompt_n_y) & (m.predicted_n_x == m.predicted_n_y)
           & ((m.prompt_tps_x - m.prompt_tps_y).abs() < 1e-6)).sum()), 'of', len(csv))
# the server log: one task per request, timings rounded to 2 decimals
logs = []
for path in sorted(glob.glob(os.path.join(root, 'benchmark_results_kris', '*', 'server.log'))):
    tasks = {}
    for line in open(path, encoding='utf-8'):
        mm = re.search(r'task (\d+) \|\s+(prompt eval|eval) time =\s+([\d.]+) ms /\s+(\d+) tokens.*?([\d.]+) tokens per second', line)
        if mm:
            tasks.setdefault(mm.group(1), {})[mm.group(2)] = (int(mm.group(4)), float(mm.group(5)))
    logs.append((path.split(os.sep)[-2], len(tasks)))
print('server.log tasks per folder', logs)

meas = raw[raw.phase == 'measured']
F = {}
for folder, g in meas.groupby('folder'):
    for test, h in g.groupby('test'):
        F[f'{folder}|{test}|gen mean'] = round(h.predicted_tps.mean(), 4)
        F[f'{folder}|{test}|pp mean'] = round(h.prompt_tps.mean(), 4)
for k, v in F.items():
    print(k, v)
for folder, g in meas.groupby('folder'):
    print(folder, 'gen mean over 4 tests x 5', round(g.predicted_tps.mean(), 4), len(g),
          '| pp mean', round(g.prompt_tps.mean(), 4))
w = raw[raw.phase == 'warmup']
print('warm-up rows', len(w), 'short-generation warm-up prompt tps (27b turbo3)',
      w[(w.test == 'short-generation') & w.folder.str.contains('27b-q4_k_m-turbo3')].prompt_tps.round(4).tolist())
t3 = meas[meas.folder.str.contains('27b-q4_k_m-turbo3')]
t4 = meas[meas.folder.str.contains('27b-q4_k_m-turbo4')]
for test in ['short-generation', 'numeric-analysis', 'code-generation', 'long-context']:
    a, b = t3[t3.test == test].predicted_tps.mean(), t4[t4.test == test].predicted_tps.mean()
    print('27b', test, 'turbo3/turbo4 gen', round(a / b, 4))
print('27b turbo3 / turbo4 gen, all tests', round(t3.predicted_tps.mean() / t4.predicted_tps.mean(), 4))
m35 = meas[meas.folder.str.contains('35b')]
print('35b / 27b (turbo3) gen', round(m35.predicted_tps.mean() / t3.predicted_tps.mean(), 4))
