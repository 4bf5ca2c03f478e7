// Calm by design: no alarm colour anywhere (a flag is a prompt for a conversation), logical properties so the
// right-to-left locales mirror, and forced-colours rules that keep the balance bar visible.
export const THERAPIST_CSS = `
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
h3{font-size:16px;margin:16px 0 4px}
.total{font-size:18px;margin:0}
.change{margin:0 0 4px}
table{border-collapse:collapse;width:100%}
th,td{text-align:start;padding:6px 4px;border-bottom:1px solid var(--attune-border);font-weight:400}
thead th{font-size:14px;color:var(--attune-muted)}
thead th+th{text-align:end}
td{text-align:end;font-variant-numeric:tabular-nums;white-space:nowrap}
.flags{margin:0;padding-inline-start:20px}
.flags li{margin:0 0 4px}
.rule{display:block;font-size:14px;color:var(--attune-muted)}
.strip{padding:8px 12px;box-shadow:0 2px 8px rgba(0,0,0,.1)}
.strip:focus:not(:focus-visible){outline:none}
.strip-row{display:flex;flex-wrap:wrap;align-items:center;gap:4px 12px;font-size:14px}
.time{font-weight:600;font-variant-numeric:tabular-nums;white-space:nowrap}
.time.said{visibility:hidden}
.balance{display:flex;align-items:center;gap:8px;flex:1 1 180px;min-width:0;color:var(--attune-muted)}
.bar{flex:0 0 64px;height:6px;border-radius:3px;background:var(--attune-border);overflow:hidden}
.bar>span{display:block;height:100%;background:var(--attune-accent);transition:width .8s ease}
.private{font-size:13px;color:var(--attune-muted);white-space:nowrap;margin-inline-start:auto}
.cue{display:grid;grid-template-columns:1fr 44px;align-items:center;column-gap:8px;margin-top:8px;min-height:44px;padding-inline-start:10px;border-inline-start:3px solid var(--attune-accent);animation:attune-fade .4s ease-out}
.cue.empty{border-inline-start-style:none;padding-inline-start:13px;animation:none}
.cue p{grid-area:1/1;margin:0;font-size:15px;line-height:1.4}
.cue .room{visibility:hidden}
.dismiss{grid-area:1/2;border-color:transparent;padding:0;font-size:20px;line-height:1}
@keyframes attune-fade{from{opacity:0}to{opacity:1}}
.pacing dl{margin:0;display:grid;gap:0}
.pacing dl>div{display:flex;justify-content:space-between;gap:12px;padding:6px 4px;border-bottom:1px solid var(--attune-border)}
.pacing dt{color:var(--attune-fg)}
.pacing dd{margin:0;text-align:end;font-variant-numeric:tabular-nums}
.pacing .muted{margin-top:6px}
@media (forced-colors:active){.bar{forced-color-adjust:none;background:Canvas;border:1px solid CanvasText}.bar>span{background:Highlight}.cue:not(.empty){border-inline-start-color:Highlight}}
`;
