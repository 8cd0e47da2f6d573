import { parseDocument, stringify } from 'yaml';
import type { Scenario } from '../../scenario/schema';

/** A new scenario: small, valid, and showing every part a person is likely to change. */
export const NEW_SCENARIO = `name: my-scenario
title: "My scenario"
description: |
  What this scenario shows, in Markdown.
predict:
  question: "Will every committed command's email be sent?"
  answer: "Say what the checker shows and why."
strategy: direct-publish
seed: 1
workload: { commands: 10, interval: 100 }
consumers: { idempotent: false }
faults:
  - { type: crash, point: after-commit, nth: 3 }
`;

/** A copy of a scenario file keeps its comments and layout; only the name and title say it is a copy. */
export function duplicateText(text: string): string {
  const doc = parseDocument(text);
  const name = doc.get('name');
  const title = doc.get('title');
  if (typeof name === 'string') doc.set('name', `${name}-copy`.slice(0, 80));
  if (typeof title === 'string') doc.set('title', `${title} (copy)`);
  return doc.toString({ lineWidth: 0 });
}

/** A scenario that came from a run (a link, an edit) as YAML. */
export const scenarioText = (scenario: Scenario): string => stringify(scenario, { lineWidth: 0 });
