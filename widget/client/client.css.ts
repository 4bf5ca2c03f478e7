export const CLIENT_CSS = `
.item{margin:16px 0}
.head{display:flex;justify-content:space-between;align-items:baseline;gap:8px}
label{font-weight:600}
.value{font-variant-numeric:tabular-nums;color:var(--attune-muted);white-space:nowrap}
input[type=range]{display:block;width:100%;height:44px;margin:0;accent-color:var(--attune-accent);background:transparent;cursor:pointer}
.unset input[type=range]::-webkit-slider-thumb{opacity:0}
.unset input[type=range]::-moz-range-thumb{opacity:0}
input[aria-invalid]:not(:focus-visible){outline:2px dashed var(--attune-danger);outline-offset:2px}
.anchors{display:flex;justify-content:space-between;gap:16px;font-size:14px;color:var(--attune-muted)}
.anchors span:last-child{text-align:right}
@media (forced-colors:active){button.primary{forced-color-adjust:none;background:Highlight;color:HighlightText;border-color:Highlight}}
`;
