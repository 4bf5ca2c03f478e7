import { describe, expect, it } from 'vitest';
import { DEFAULT_INSTRUMENT } from '../../../schemas/index.ts';
import { cueSettingsFor, instrumentFor, parsePlatformSettings } from '../../../worker/admin/platform-settings.ts';

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
});
