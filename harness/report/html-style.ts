/** The report's only stylesheet, inlined: the file must open anywhere, offline. */
export const HTML_STYLE =
  `
:root { --allowed: #2e9e4f; --blocked: #d64545; --unasserted: #c9ced6; --inconclusive: #f0a020; ` +
  `--ink: #1d232b; --muted: #5f6b7a; --line: #dde2e8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; ` +
  `color: var(--ink); background: #f6f8fa; }
main { max-width: 1320px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; display: flex; align-items: center; gap: 12px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; }
code, pre, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 12px; font-size: 13px; ` +
  `font-weight: 600; color: #fff; }
.badge.ok { background: var(--allowed); } .badge.bad { background: var(--blocked); } ` +
  `.badge.warn { background: var(--inconclusive); color: #3a2800; }
.meta { color: var(--muted); margin: 0 0 8px; }
.summary { margin: 0 0 14px; font-weight: 500; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.card { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--allowed); ` +
  `border-radius: 6px; padding: 10px 14px; min-width: 260px; max-width: 640px; flex: 1; }
.card.bad { border-left-color: var(--blocked); } .card.warn { border-left-color: var(--inconclusive); }
.card .name { font-weight: 700; font-size: 15px; } ` +
  `.card .evidence { color: var(--muted); font-size: 12px; margin-top: 4px; }
.legend { display: flex; flex-wrap: wrap; gap: 16px; align-items: center; ` +
  `color: var(--muted); font-size: 13px; margin: 8px 0 0; }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.legend i { display: inline-block; width: 18px; height: 18px; border-radius: 3px; }
section.target { background: #fff; border: 1px solid var(--line); border-radius: 8px; ` +
  `padding: 4px 18px 16px; margin: 18px 0; }
details.run { margin: 10px 0; border-top: 1px solid var(--line); padding-top: 6px; }
details.run > summary { cursor: pointer; font-weight: 600; font-size: 15px; padding: 4px 0; }
.counts { font-weight: 400; color: var(--muted); font-size: 13px; margin-left: 8px; }
.counts b.fail { color: var(--blocked); } .counts b.warn { color: #a86a00; }
.error { background: #fdecec; border: 1px solid #f3b5b5; color: #8a1c1c; ` +
  `border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.step { margin: 8px 0 14px 6px; }
.step h4 { margin: 8px 0 6px; font-size: 14px; }
.ports { display: flex; flex-wrap: wrap; gap: 22px; align-items: flex-start; }
table.matrix { border-collapse: separate; border-spacing: 3px; }
table.matrix caption { text-align: left; font-weight: 600; font-size: 13px; padding-bottom: 2px; }
table.matrix th { font-weight: 500; font-size: 12px; color: var(--muted); white-space: nowrap; }
table.matrix th.row { text-align: right; padding-right: 6px; }
table.matrix th.col { vertical-align: bottom; padding: 0 0 2px; }
table.matrix th.corner { vertical-align: bottom; text-align: right; font-size: 11px; padding-right: 6px; }
table.matrix th.col div { writing-mode: vertical-rl; transform: rotate(180deg); margin: 0 auto; }
table.matrix td { width: 30px; height: 30px; text-align: center; border-radius: 4px; ` +
  `font: 700 14px/30px ui-monospace, Menlo, monospace; color: #fff; }
td.allowed { background: var(--allowed); } td.blocked { background: var(--blocked); }
td.unasserted { background: var(--unasserted); color: #59626d; } ` +
  `td.inconclusive { background: var(--inconclusive); color: #3a2800; }
td.none { background: transparent; }
td.fail { outline: 3px solid var(--ink); outline-offset: 1px; letter-spacing: -1px; }
td.deviation { outline: 2px dashed var(--ink); outline-offset: 1px; }
.dns { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; font-size: 12px; }
.dns span { padding: 2px 8px; border-radius: 10px; color: #fff; }
.dns span.allowed { background: var(--allowed); } .dns span.blocked { background: var(--blocked); } ` +
  `.dns span.inconclusive { background: var(--inconclusive); color: #3a2800; }
.dns span.fail { outline: 2px solid var(--ink); }
table.list { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
table.list th, table.list td { border-bottom: 1px solid var(--line); padding: 6px 8px; ` +
  `text-align: left; vertical-align: top; }
table.list th { background: #eef1f4; font-size: 13px; }
table.list td.nowrap { white-space: nowrap; }
table.list td.mono { min-width: 180px; }
table.list td.out { font-weight: 600; text-align: center; }
table.list td.out.allowed { color: #1c6e35; background: #e3f4e8; } ` +
  `table.list td.out.blocked { color: #9b2121; background: #fbe5e5; } ` +
  `table.list td.out.inconclusive { background: #fdf0d8; }
.fault { display: inline-block; font-size: 12px; font-weight: 700; padding: 1px 8px; border-radius: 10px; }
.fault.policy { background: #e6ecff; color: #23408e; } .fault.cluster { background: #fbe5e5; color: #9b2121; }
.repro { display: block; margin-top: 4px; padding: 4px 6px; background: #f1f3f5; ` +
  `border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
`;
