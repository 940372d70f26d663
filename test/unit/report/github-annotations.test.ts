import { expect } from 'chai';
import { annotation, escapeData, escapeProperty } from '../../../harness/report/github-annotations.js';

describe('GitHub Actions annotations', () => {
  it('escapes a message: % first, then CR and LF', () => {
    expect(escapeData('100% of\r\nlines')).to.equal('100%25 of%0D%0Alines');
  });

  it('does not escape an escape twice', () => {
    expect(escapeData('%0A')).to.equal('%250A');
  });

  it('escapes a property value: also : and ,', () => {
    expect(escapeProperty('C:\\dir,x%\n.yaml')).to.equal('C%3A\\dir%2Cx%25%0A.yaml');
  });

  it('writes ::error and ::warning commands with file, line and col', () => {
    expect(annotation({ severity: 'error', file: 'a,b.yaml', line: 3, col: 7, message: 'bad: 50%\nsee' })).to.equal(
      '::error file=a%2Cb.yaml,line=3,col=7::bad: 50%25%0Asee',
    );
    expect(annotation({ severity: 'warning', file: 's.yaml', line: 1, col: 1, message: 'x' })).to.equal(
      '::warning file=s.yaml,line=1,col=1::x',
    );
  });
});
