// Styles of the trend section. No animation at all: a chart that moves is not calm beside a call.
export const TREND_CSS = `
.trend{margin-top:12px}
.spark{display:block;width:100%;max-width:480px;height:auto;margin:4px 0}
.spark .line{fill:none;stroke:var(--attune-accent);stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
.spark .mean{stroke:var(--attune-muted);stroke-width:1.5;stroke-dasharray:4 4}
.spark .floor{stroke:var(--attune-muted);stroke-width:1;stroke-dasharray:1 3}
.spark .axis{stroke:var(--attune-border);stroke-width:1}
.spark text{font-size:12px;fill:var(--attune-muted);font-family:var(--attune-font)}
.spark .dot{fill:var(--attune-bg);stroke:var(--attune-accent);stroke-width:2}
.spark .dot.now{fill:var(--attune-accent)}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;margin:0 0 8px;padding:0;font-size:14px;color:var(--attune-muted)}
.sw{display:inline-block;width:18px;border-top:2px solid var(--attune-accent);vertical-align:middle;margin-inline-end:6px}
.sw.mean{border-top:2px dashed var(--attune-muted)}
.sw.floor{border-top:2px dotted var(--attune-muted)}
.trend caption{text-align:start;font-size:14px;color:var(--attune-muted);padding:4px 0}
.trend tr.now th,.trend tr.now td{font-weight:600}
.trend-more{margin-top:12px}
@media (forced-colors:active){.spark .line,.spark .dot{stroke:CanvasText}.spark .dot.now{fill:CanvasText}.spark .mean,.spark .floor,.spark .axis{stroke:GrayText}.spark text{fill:CanvasText}}
`;
