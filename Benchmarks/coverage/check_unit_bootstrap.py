#!/usr/bin/env python3
"""Unit (firm) bootstrap of `quipu did --estimator all`'s overall aggregates on the coverage study's
`pum_only` subset (PUM firms without CBI, the 2004 cohort left out), beside the analytic SEs: the
check behind README "pum_only on log exports".

    python3 check_unit_bootstrap.py QUIPU SEED REPS OUTCOME    # e.g. .build/release/quipu 1001 60 export_non_eu

Simulates `quipu simulate peru --seed SEED` into ./bSEED/, keeps the subset's rows, and runs
`did` on log(OUTCOME) for the panel and for REPS resamples of its firms with replacement (each
copy a new firm id; random.Random(SEED)); prints and writes bSEED/boot-OUTCOME.json with each
estimator's estimate and analytic SE (`base`) and the SD of its bootstrap estimates (`boot_sd`).
A resample on which `did` fails is skipped (`reps` counts those used).
"""
import csv, json, os, random, subprocess, sys, statistics as st
Q=sys.argv[1]; seed=int(sys.argv[2]); reps=int(sys.argv[3]); outcome=sys.argv[4]
env=dict(os.environ, OPENBLAS_NUM_THREADS="1")
d=f"b{seed}"; os.makedirs(d,exist_ok=True)
subprocess.run([Q,"simulate","peru","--seed",str(seed),"--output",f"{d}/p.csv","--truth",f"{d}/t.json"],check=True,env=env)
rows=[r for r in csv.DictReader(open(f"{d}/p.csv")) if r["pum_cohort"]!="2004" and r["cbi_start"]=="0"]
fields=list(rows[0].keys())
by={}
for r in rows: by.setdefault(r["firm_id"],[]).append(r)
firms=sorted(by)
def run(path):
    r=subprocess.run([Q,"did","--data",path,"--unit","firm_id","--time","year","--cohort","pum_cohort","--outcome",f"log({outcome})",
                      "--estimator","all","--format","json","--threads","1"],capture_output=True,text=True,env=env)
    if r.returncode: return None
    j=json.loads(r.stdout)
    return {a["estimator"]:(a["estimate"],a["std_error"]) for a in j["aggregates"] if a.get("type")=="simple" and a.get("overall")}
def write(path, sample):
    with open(path,"w",newline="") as fh:
        w=csv.DictWriter(fh,fieldnames=fields); w.writeheader()
        for k,f in enumerate(sample):
            for r in by[f]: w.writerow({**r,"firm_id":str(k+1)})
write(f"{d}/base.csv",firms)
base=run(f"{d}/base.csv")
rng=random.Random(seed)
draws=[]
for b in range(reps):
    s=[rng.choice(firms) for _ in firms]
    write(f"{d}/bs.csv",s)
    res=run(f"{d}/bs.csv")
    if res: draws.append(res)
out={"seed":seed,"outcome":outcome,"base":base,"boot_sd":{e:st.stdev([x[e][0] for x in draws if e in x]) for e in base},"reps":len(draws)}
print(json.dumps(out)); json.dump(out,open(f"{d}/boot-{outcome}.json","w"))
