import { queueReasonOf } from '../queue-reason';

describe('why a message waits in the queue', () => {
  it('moderation by its status, whatever triage recorded', () => {
    expect(queueReasonOf('moderation', { queueReason: 'no_route', suggestions: [] })).toBe('moderation');
  });

  it('the reason triage recorded, for a message that needs triage', () => {
    expect(queueReasonOf('needs_triage', { queueReason: 'no_route', suggestions: [{ code: 'pos.roads' }] })).toBe('no_route');
    expect(queueReasonOf('needs_triage', { queueReason: 'no_content', suggestions: [] })).toBe('no_content');
  });

  it('without a recorded reason: suggestions mean an unsure classifier, none mean no category', () => {
    expect(queueReasonOf('needs_triage', { suggestions: [{ code: 'pos.roads' }] })).toBe('low_confidence');
    expect(queueReasonOf('needs_triage', { suggestions: [] })).toBe('no_category');
    expect(queueReasonOf('needs_triage', null)).toBe('no_category');
  });

  it('no reason outside the queue', () => {
    expect(queueReasonOf('assigned', { queueReason: 'low_confidence' })).toBeNull();
    expect(queueReasonOf('closed', null)).toBeNull();
  });
});
