// Styles of the caseload view (its own chunk). Calm: no animation, no alarm colours; "not on track" is an
// invitation to look, marked by position and words, not by red.
import { TREND_CSS } from '../therapist/trend.css.ts';

export const CASELOAD_CSS = `${TREND_CSS}
.caseload{max-width:960px}
.caseload h3{font-size:16px;line-height:1.3;margin:0 0 4px;font-weight:600}
.block{margin-top:20px}
.count{font-weight:400;color:var(--attune-muted)}
.off{list-style:none;margin:8px 0 0;padding:0;display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,280px),1fr))}
.off li{border:1px solid var(--attune-border);border-radius:8px;padding:12px}
.off .name{display:block;font-size:16px;margin-bottom:4px;overflow-wrap:anywhere}
.off p{margin:0 0 4px}
.scroll{overflow-x:auto;max-width:100%}
.scroll:focus-visible{outline:3px solid var(--attune-accent);outline-offset:2px}
.caseload table{border-collapse:collapse;width:100%;font-size:14px;font-variant-numeric:tabular-nums}
.caseload th,.caseload td{text-align:start;padding:6px;border-bottom:1px solid var(--attune-border);vertical-align:top}
.caseload thead th{color:var(--attune-muted);font-weight:600;vertical-align:bottom}
.caseload tbody th{font-weight:600;overflow-wrap:anywhere;min-width:8em}
.caseload th.day{white-space:nowrap;overflow-wrap:normal}
.caseload tr.is-off th,.caseload tr.is-off td{background:color-mix(in srgb,var(--attune-accent) 8%,var(--attune-bg))}
.sentence{border-inline-start:4px solid var(--attune-accent);padding:4px 0 4px 12px;padding-inline:12px 0;margin:8px 0}
.sentence p:first-child{font-size:17px}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(128px,1fr));gap:8px 16px;margin:12px 0}
.facts div{margin:0;display:flex;flex-direction:column;justify-content:space-between}
.facts dt{font-size:13px;color:var(--attune-muted)}
.facts dd{margin:0;font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}
.pace{display:block;width:100%;max-width:440px;height:auto;margin:8px 0 4px}
.pace .line{fill:none;stroke:var(--attune-accent);stroke-width:2;stroke-linejoin:round}
.pace .dot{fill:var(--attune-bg);stroke:var(--attune-accent);stroke-width:2}
.pace .bar{fill:var(--attune-muted)}
.pace .threshold{stroke:var(--attune-fg);stroke-width:1.5;stroke-dasharray:5 4}
.pace .axis{stroke:var(--attune-border);stroke-width:1}
.pace text{font-size:11px;fill:var(--attune-muted);font-family:var(--attune-font)}
.sw.bar{border-top:8px solid var(--attune-muted);width:12px}
.sw.threshold{border-top:2px dashed var(--attune-fg)}
@media (forced-colors:active){.pace .line,.pace .dot{stroke:CanvasText}.pace .bar{fill:GrayText}.pace .threshold{stroke:CanvasText}.pace text{fill:CanvasText}}
`;
