export const THERAPIST_CSS = `
h3{font-size:16px;margin:16px 0 4px}
.total{font-size:18px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 4px;border-bottom:1px solid var(--attune-border);font-weight:400}
thead th{font-size:14px;color:var(--attune-muted)}
td{text-align:right;font-variant-numeric:tabular-nums}
tr.low th,tr.low td{font-weight:700;color:var(--attune-danger)}
.flags{margin:0;padding-left:20px}
.strip{padding:8px 12px;box-shadow:0 2px 8px rgba(0,0,0,.1)}
.strip:focus:not(:focus-visible){outline:none}
.strip-row{display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;font-size:14px}
.time{font-weight:600;font-variant-numeric:tabular-nums;white-space:nowrap}
.balance{display:flex;align-items:center;gap:8px;flex:1 1 180px;min-width:0;color:var(--attune-muted)}
.bar{flex:0 0 64px;height:6px;border-radius:3px;background:var(--attune-border);overflow:hidden}
.bar>span{display:block;height:100%;background:var(--attune-accent);transition:width .8s ease}
.cue{display:flex;align-items:center;gap:8px;margin-top:8px;padding-left:10px;border-left:3px solid var(--attune-accent);animation:attune-fade .4s ease-out}
.cue.empty{display:block;margin:0;padding:0;border:0;animation:none}
.cue p{margin:0;flex:1;font-size:15px}
.cue.empty p{height:0;overflow:hidden}
.dismiss{border-color:transparent;padding:0;font-size:20px;line-height:1}
@keyframes attune-fade{from{opacity:0}to{opacity:1}}
.pacing dl{margin:0;display:grid;gap:0}
.pacing dl>div{display:flex;justify-content:space-between;gap:12px;padding:6px 4px;border-bottom:1px solid var(--attune-border)}
.pacing dt{color:var(--attune-fg)}
.pacing dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}
.pacing .muted{margin-top:6px}
`;
