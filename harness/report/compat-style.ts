/** The compatibility page's only stylesheet, inlined: the file must open anywhere, offline. */
export const COMPAT_STYLE = `
:root { --ink: #1d232b; --muted: #5f6b7a; --line: #dde2e8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #f6f8fa; }
main { max-width: 1400px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
.meta, .n { color: var(--muted); } .n { font-size: 12px; font-weight: 400; }
.mono { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; color: var(--muted); font-size: 13px; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
i.sq { display: inline-block; width: 14px; height: 14px; border-radius: 3px; margin-right: 2px;
  vertical-align: -2px; }
.changes { background: #fff; border: 1px solid var(--line); border-left: 6px solid #2e9e4f;
  border-radius: 6px; padding: 4px 16px 10px; }
.changes.red { border-left-color: #d64545; } .changes h2 { border: 0; margin: 10px 0 4px; }
.headline { font-weight: 600; }
.scroll { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
table.compat { border-collapse: collapse; font-size: 13px; }
table.compat th, table.compat td { border-bottom: 1px solid var(--line); padding: 4px 6px; }
table.compat thead th { position: sticky; top: 0; background: #fff; font-weight: 400; text-align: center;
  min-width: 92px; vertical-align: bottom; }
table.compat thead th a { color: inherit; text-decoration: none;
  } table.compat thead th a:hover { text-decoration: underline; }
table.compat tbody th { text-align: left; font-weight: 500; white-space: nowrap; position: sticky; left: 0;
  background: #fff; }
.k8s { color: var(--muted); font-size: 12px; }
td.sq { text-align: center; min-width: 92px; font-weight: 600; cursor: help; }
.sq.pass { background: #d8f0df; } i.sq.pass { background: #2e9e4f; }
.sq.deviation { background: #fff3c4; } i.sq.deviation { background: #e0b000; }
.sq.fail { background: #f9d4d4; color: #8a1111; } i.sq.fail { background: #d64545; }
.sq.inconclusive { background: #fde3c0; } i.sq.inconclusive { background: #f0a020; }
.sq.unsupported { background: #eceff3; color: var(--muted); } i.sq.unsupported { background: #c9ced6; }
.sq.error { background: #ead9f5; color: #52207a; } i.sq.error { background: #7b3fb0; }
.sq.down { background: #2b2f36; color: #fff; } i.sq.down { background: #2b2f36; }
.sq.absent { background: #fff; } i.sq.absent { background: #fff; border: 1px solid var(--line); }
details { margin: 8px 0; } summary { cursor: pointer; padding: 4px 0; }
table.conv { border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
table.conv th, table.conv td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; }
table.conv th[scope=row] { text-align: left; font-weight: 500; }
td.barcell { width: 280px; text-align: left; } .bar { display: inline-block; height: 10px;
  background: #5b8def; border-radius: 2px; }
`;
