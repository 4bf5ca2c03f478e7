import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/index.ts';
import {
  cueSettingsFor,
  flagsOutOfScale,
  instrumentFor,
  parsePlatformSettings,
} from '../../../worker/admin/platform-settings.ts';
import { likertInstrument } from '../../samples.ts';

describe('platform settings', () => {
  it('merges cue and flag overrides over the defaults and finds registered instruments', () => {
    const s = parsePlatformSettings(
      JSON.stringify({
        cues: { monologueSeconds: 60 },
        flags: { totalBelow: 30 },
        instruments: [{ ...DEFAULT_INSTRUMENT, id: 'srs-licensed' }],
      }),
    );
    expect(cueSettingsFor(s).monologueSeconds).toBe(60);
    expect(cueSettingsFor(s).minGapSeconds).toBe(180);
    expect(instrumentFor(s, undefined)?.flags).toEqual({ ...DEFAULT_INSTRUMENT.flags, totalBelow: 30 });
    expect(instrumentFor(s, 'srs-licensed')?.id).toBe('srs-licensed');
    expect(instrumentFor(s, 'unknown')).toBeNull();
    expect(() => parsePlatformSettings('{"cues":{"monologueSeconds":"x"}}')).toThrow();
  });

  it('reads settings stored before the relative rules: a drop switch and an instrument without the mean rule', () => {
    const legacy = {
      ...DEFAULT_INSTRUMENT,
      id: 'srs-licensed',
      flags: { totalBelow: 36, itemBelow: 9, dropFromPrevious: true },
    };
    const s = parsePlatformSettings(JSON.stringify({ flags: { dropFromPrevious: false }, instruments: [legacy] }));
    expect(instrumentFor(s, undefined)?.flags.dropFromPrevious).toBeNull();
    expect(instrumentFor(s, 'srs-licensed')?.flags).toEqual({
      totalBelow: 36,
      itemBelow: 9,
      dropFromPrevious: null,
      dropFromMean: null,
      meanWindow: 10,
      meanMinSessions: 3,
    });
    const off = parsePlatformSettings(
      JSON.stringify({ flags: { totalBelow: false, itemBelow: null, dropFromMean: false } }),
    );
    expect(instrumentFor(off, undefined)?.flags).toMatchObject({
      totalBelow: null,
      itemBelow: null,
      dropFromMean: null,
      dropFromPrevious: 4,
    });
    const on = parsePlatformSettings(JSON.stringify({ instruments: [legacy] }));
    expect(instrumentFor(on, 'srs-licensed')?.flags).toMatchObject({
      totalBelow: 36,
      itemBelow: 9,
      dropFromPrevious: 4,
      dropFromMean: null,
    });
  });

  it('names flag rules that would flag every rating on an instrument, the platform-wide ones over every scale', () => {
    const likert = likertInstrument('en', (id) => ({ label: id, low: 'low', high: 'high' }));
    // 36 and 9 fit the 0..40 default (four items of 0..10) but are over the 3..21 instrument's highest total and item.
    const s = parsePlatformSettings(JSON.stringify({ flags: { totalBelow: 36, itemBelow: 9 }, instruments: [likert] }));
    expect(flagsOutOfScale(s)).toEqual([
      'likert-3 (version 2): totalBelow 36 is over its highest total, 21',
      'likert-3 (version 2): itemBelow 9 is over its highest item score, 7',
    ]);
    // In the instrument's own rules instead, each scale has its own: nothing to name.
    const own = { ...likert, flags: { ...likert.flags, totalBelow: 12, itemBelow: 3 } };
    expect(flagsOutOfScale(parsePlatformSettings(JSON.stringify({ instruments: [own] })))).toEqual([]);
    // The highest total itself may be a threshold (only a perfect score is not flagged); one over it may not.
    expect(flagsOutOfScale(parsePlatformSettings(JSON.stringify({ flags: { totalBelow: 40 } })))).toEqual([]);
    expect(flagsOutOfScale(parsePlatformSettings(JSON.stringify({ flags: { totalBelow: 40.5 } })))).toEqual([
      'attune-session-4 (version 1): totalBelow 40.5 is over its highest total, 40',
    ]);
    expect(flagsOutOfScale(parsePlatformSettings('{}'))).toEqual([]);
  });
});
