import { describe, expect, it } from 'vitest';
import { campaignStopOf, campaignStopReasons, metaStopReason, whatsappFailureNoteOf, whatsappFailureNotes } from './whatsapp-texts.js';

describe('why a campaign stopped, read back from what it stores', () => {
  it.each([
    [135000, 'portfolioPaused'],
    [132015, 'templatePaused'],
    [132016, 'templateDisabled'],
    [190, 'reconnect'],
  ])('Meta error %i is %s, with Meta’s own title kept as it came', (metaCode, code) => {
    const title = 'Template Paused — «عربي» (x)';
    expect(campaignStopOf(metaCode, metaStopReason(metaCode, title))).toEqual({ code, params: { metaCode }, upstream: title });
  });

  it('reads the stops OpTarget decides itself, with the template and its state', () => {
    expect(campaignStopOf(null, campaignStopReasons.disconnected)).toEqual({ code: 'disconnected', params: {}, upstream: null });
    expect(campaignStopOf(null, campaignStopReasons.templateDeleted)).toEqual({ code: 'templateDeleted', params: {}, upstream: null });
    expect(campaignStopOf(null, campaignStopReasons.templateNotApproved('spring_sale', 'PAUSED'))).toEqual({
      code: 'templateNotApproved',
      params: { template: 'spring_sale', status: 'PAUSED' },
      upstream: null,
    });
  });

  it('keeps a reason it does not know as the detail, and nothing when the campaign did not stop', () => {
    expect(campaignStopOf(null, 'something else')).toEqual({ code: 'other', params: {}, upstream: 'something else' });
    expect(campaignStopOf(135000, 'written another way')).toMatchObject({ code: 'portfolioPaused', upstream: 'written another way' });
    expect(campaignStopOf(null, null)).toBeNull();
  });
});

describe('a failure title OpTarget wrote', () => {
  it('is known by its key; Meta’s own titles are not', () => {
    for (const [key, text] of Object.entries(whatsappFailureNotes)) expect(whatsappFailureNoteOf(text)).toBe(key);
    expect(whatsappFailureNoteOf('Message undeliverable')).toBeNull();
    expect(whatsappFailureNoteOf(null)).toBeNull();
  });
});
