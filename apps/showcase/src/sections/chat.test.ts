import { describe, expect, it } from 'vitest';
import { showcaseSamples } from '../samples.js';
import { fixtureModels } from '../testing/fixture-models.js';
import { tableRows } from '../testing/report-html.js';
import { chatSection } from './chat.js';

describe('chatSection', () => {
  it('draws one bar per earlier turn, as long as its share of the reply’s attention, the shares summing to 100%', async () => {
    const messages = showcaseSamples().chat;
    const html = (await chatSection(fixtureModels.chat, messages)).body.html;
    const rows = tableRows(html);
    expect(rows.map(([turn, role, message]) => [Number(turn), role, message])).toEqual(
      messages.map((message, turn) => [turn, message.role, message.content]),
    );
    const percentages = rows.map((row) => Number(/([\d.]+)%/.exec(row[3] ?? '')?.[1]));
    expect(percentages.reduce((sum, percentage) => sum + percentage, 0)).toBeCloseTo(100, 0);
    const widths = [...html.matchAll(/class="bar" style="width: ([\d.]+)em"/g)].map((match) =>
      Number(match[1]),
    );
    // 10em is the whole conversation: a bar's width is its percentage / 10
    expect(widths).toHaveLength(messages.length);
    widths.forEach((width, turn) =>
      expect(width).toBeCloseTo((percentages[turn] as number) / 10, 1),
    );
    expect(html).toContain('<strong>reply </strong>');
  });
});
