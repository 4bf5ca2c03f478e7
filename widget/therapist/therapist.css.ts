export const THERAPIST_CSS = `
h3{font-size:16px;margin:16px 0 4px}
.total{font-size:18px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 4px;border-bottom:1px solid var(--attune-border);font-weight:400}
thead th{font-size:14px;color:var(--attune-muted)}
td{text-align:right;font-variant-numeric:tabular-nums}
tr.low th,tr.low td{font-weight:700;color:var(--attune-danger)}
.flags{margin:0;padding-left:20px}
`;
