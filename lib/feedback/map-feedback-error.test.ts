import { describe, expect, it } from 'vitest';
import { feedbackErrorMessages, mapFeedbackError } from './map-feedback-error';
import { parseSaveFeedbackInput } from './save-feedback';

describe('mapFeedbackError', () => {
  it('reads the stable code the procedure raised, then the SQLSTATE, else unavailable', () => {
    expect(mapFeedbackError({ code: '23514', message: 'pupil_not_in_group' })).toBe('pupil_not_in_group');
    expect(mapFeedbackError({ code: '23514', message: 'criterion_not_in_unit' })).toBe('criterion_not_in_unit');
    expect(mapFeedbackError({ code: '42501', message: 'permission denied for function feedback_upsert' })).toBe('not_authorized');
    expect(mapFeedbackError({ code: '22P02', message: 'invalid input syntax for type uuid: "x"' })).toBe('validation_failed');
    expect(mapFeedbackError({ code: 'XX000', message: 'internal' })).toBe('unavailable');
    expect(mapFeedbackError({})).toBe('unavailable');
  });

  it('has a teacher-facing message for every code, with no database words', () => {
    for (const message of Object.values(feedbackErrorMessages)) {
      expect(message).not.toMatch(/sql|postgres|relation|constraint|violat|uuid|rpc/i);
    }
  });
});

describe('parseSaveFeedbackInput', () => {
  const valid = {
    assignmentId: '00000000-0000-4000-8000-000000000001',
    pupilId: '00000000-0000-4000-8000-000000000002',
    successCriterionId: '00000000-0000-4000-8000-000000000003',
    rating: 2,
    clientMutationId: '00000000-0000-4000-8000-000000000004',
  };
  it('accepts a rating 0..3 or null, and tells a bad rating from other bad input', () => {
    expect(parseSaveFeedbackInput(valid).ok).toBe(true);
    expect(parseSaveFeedbackInput({ ...valid, rating: null }).ok).toBe(true);
    expect(parseSaveFeedbackInput({ ...valid, rating: 4 })).toMatchObject({ ok: false, code: 'rating_out_of_range' });
    expect(parseSaveFeedbackInput({ ...valid, rating: 1.5 })).toMatchObject({ ok: false, code: 'rating_out_of_range' });
    expect(parseSaveFeedbackInput({ ...valid, pupilId: 'nope' })).toMatchObject({ ok: false, code: 'validation_failed' });
    expect(parseSaveFeedbackInput('x')).toMatchObject({ ok: false, code: 'validation_failed' });
  });
});
