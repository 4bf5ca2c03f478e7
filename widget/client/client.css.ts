// The card flows in the host page (its Send and Skip are reached by scrolling the page, at any zoom or in
// landscape); only a floating card, fixed to the viewport, is capped to it and scrolls inside (shared/styles.ts).
// Each line ends in a line continuation, as in shared/styles.ts: no newlines shipped.
// An unset line hides its thumb, so its track alone shows it: the browser draws that track at 2.1:1 on a light card
// (#b2b2b2 on #fff, under WCAG 1.4.11's 3:1); darkened, it is 5.3:1. Dark themes (--attune-track:1) draw it at 4.5:1.
export const CLIENT_CSS = `\
.privacy{font-size:14px;border-inline-start:3px solid var(--attune-accent);padding-inline-start:8px}\
.item{margin:16px 0}\
.head{display:flex;justify-content:space-between;align-items:baseline;gap:8px}\
label{font-weight:600}\
.value{font-variant-numeric:tabular-nums;color:var(--attune-muted);white-space:nowrap}\
.item input{display:block;width:100%;height:44px;margin:6px 0;accent-color:var(--attune-accent);background:transparent;cursor:pointer;touch-action:pan-y pinch-zoom}\
.unset input{filter:brightness(var(--attune-track,.6))}\
.unset input::-webkit-slider-thumb{opacity:0}\
.unset input::-moz-range-thumb{opacity:0}\
input[aria-invalid]:not(:focus-visible){outline:2px dashed var(--attune-danger);outline-offset:2px}\
.anchors{display:flex;justify-content:space-between;gap:16px;font-size:14px;color:var(--attune-muted)}\
.anchors :last-child{text-align:end}\
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}\
`;
