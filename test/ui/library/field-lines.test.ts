import { describe, expect, it } from 'vitest';
import { fieldPath, lineOfField } from '../../../src/ui/editor/field-lines';

const YAML = `name: demo
title: Demo
strategy: direct-publish
seed: 7
workload: { commands: 20, interval: 100 }
faults:
  - { type: crash, point: after-commit, nth: 3 }
  - type: crash
    point: nowhere
`;

describe('field → YAML line', () => {
  it('splits field paths into keys and indexes', () => {
    expect(fieldPath('faults[1].point')).toEqual(['faults', 1, 'point']);
    expect(fieldPath('workload.script[0].at')).toEqual(['workload', 'script', 0, 'at']);
    expect(fieldPath('(file)')).toEqual([]);
  });

  it('finds the line of a nested field, in block and flow style', () => {
    expect(lineOfField(YAML, 'faults[1].point')).toBe(9);
    expect(lineOfField(YAML, 'faults[0].point')).toBe(7);
    expect(lineOfField(YAML, 'workload.interval')).toBe(5);
    expect(lineOfField(YAML, 'seed')).toBe(4);
  });

  it('points a missing field at its nearest existing parent', () => {
    expect(lineOfField(YAML, 'workload.script[0].at')).toBe(5);
    expect(lineOfField(YAML, 'predict')).toBe(1);
  });

  it('uses the line a syntax error names, and line 1 for the whole file', () => {
    expect(lineOfField('a: [', '(file)', 'not valid YAML or JSON at line 3: oops')).toBe(3);
    expect(lineOfField(YAML, '(top level)')).toBe(1);
  });

  it('never throws on text that is not YAML', () => {
    expect(lineOfField('{{{{ ]]]: - :', 'faults[0].point')).toBeGreaterThanOrEqual(1);
  });
});
