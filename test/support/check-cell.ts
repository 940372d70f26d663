import type { CheckReportCell } from '../../harness/model/check-report.js';

/** A passing check cell, shop/frontend -> shop/backend 8080/TCP, with what a test changes. */
export const checkCell = (over: Partial<CheckReportCell>): CheckReportCell => ({
  from: 'shop/frontend',
  to: 'shop/backend',
  pod: 'backend-1',
  ip: '10.0.0.2',
  port: { port: 8080, protocol: 'TCP', name: 'http' },
  predicted: 'allowed',
  evidence: 'allowed',
  outcome: 'allowed',
  detail: 'OK',
  verdict: 'pass',
  ...over,
});
