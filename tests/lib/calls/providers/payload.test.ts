import { describe, expect, it } from 'vitest';
import {
  BolnaExecutionPayload,
  executionCallRef,
  executionDurationSeconds,
  toSnapshot,
} from '../../../../src/lib/calls/providers';

/** The webhook example in Bolna's status docs: numeric id, hyphenated batch id, conversation_time. */
const DOC_WEBHOOK = {
  id: 7432382142914,
  agent_id: '3c90c3cc-0d44-4b50-8888-8dd25736052a',
  batch_id: 'd12abbbe-d16d-4c51-b18c-c7d5c3807962',
  conversation_time: 123,
  total_cost: 123,
  status: 'completed',
  error_message: null,
  answered_by_voice_mail: true,
  transcript: '<string>',
  created_at: '2024-01-23T01:14:37Z',
  updated_at: '2024-01-29T18:31:22Z',
  usage_breakdown: {
    synthesizer_characters: 123,
    llm_model: { 'gpt-3.5-turbo-16k': { output: 28 } },
  },
  telephony_data: { duration: 42, to_number: '+10123456789' },
};

/** The GET /executions/{id} example: uuid id, 32-hex batch id, full telephony data. */
const DOC_EXECUTION = {
  id: '4c06b4d1-4096-4561-919a-4f94539c8d4a',
  agent_id: '3c90c3cc-0d44-4b50-8888-8dd25736052a',
  batch_id: 'baab7cdc833145bf8dd260ff1f0a3f21',
  conversation_time: 123,
  total_cost: 123,
  status: 'completed',
  answered_by_voice_mail: true,
  transcript: '<string>',
  created_at: '2024-01-23T01:14:37Z',
  updated_at: '2024-01-29T18:31:22Z',
  cost_breakdown: { llm: 4.2, network: 1.2, platform: 2, synthesizer: 6.8, transcriber: 0.7 },
  telephony_data: {
    duration: 42,
    to_number: '+10123456789',
    from_number: '+19876543007',
    recording_url: 'https://example.com/rec',
    hosted_telephony: true,
    provider_call_id: 'CA42fb13614bfcfeccd94cf33befe14s2f',
    call_type: 'outbound',
    provider: 'twilio',
    hangup_by: 'Caller',
    hangup_reason: 'Normal Hangup',
    hangup_provider_code: 4000,
  },
  batch_run_details: { status: 'completed', retried: 0 },
  extracted_data: { user_interested: true },
  context_details: {},
};

describe('BolnaExecutionPayload', () => {
  it('accepts the webhook doc example, numeric id as a string', () => {
    const parsed = BolnaExecutionPayload.parse(DOC_WEBHOOK);
    expect(parsed.id).toBe('7432382142914');
    expect(parsed.batch_id).toBe('d12abbbe-d16d-4c51-b18c-c7d5c3807962');
    expect(parsed.status).toBe('completed');
    expect(parsed.answered_by_voice_mail).toBe(true);
    expect(executionDurationSeconds(parsed)).toBe(123);
    // Fields we don't model are kept.
    expect(parsed.usage_breakdown).toEqual(DOC_WEBHOOK.usage_breakdown);
  });

  it('accepts the get-execution doc example', () => {
    const parsed = BolnaExecutionPayload.parse(DOC_EXECUTION);
    expect(parsed.telephony_data).toMatchObject({
      hangup_reason: 'Normal Hangup',
      hangup_provider_code: '4000',
      provider_call_id: 'CA42fb13614bfcfeccd94cf33befe14s2f',
    });
    expect(executionCallRef(parsed)).toBeNull();
  });

  it('accepts a body with only id and status', () => {
    const parsed = BolnaExecutionPayload.parse({ id: 'abc', status: 'ringing' });
    expect(parsed).toMatchObject({ id: 'abc', status: 'ringing', conversation_duration: null });
    expect(parsed.telephony_data).toBeUndefined();
    expect(executionDurationSeconds(parsed)).toBeNull();
  });

  it.each([
    ['balance_low', 'balance-low'],
    ['No-Answer', 'no-answer'],
    [' in_progress ', 'in-progress'],
    ['call disconnected', 'call-disconnected'],
  ])('reads the status spelling %j as %s', (raw, status) => {
    expect(BolnaExecutionPayload.parse({ id: 1, status: raw }).status).toBe(status);
  });

  it.each([
    ['no id', { status: 'completed' }],
    ['an empty id', { id: '', status: 'completed' }],
    ['a null id', { id: null, status: 'completed' }],
    ['no status', { id: 'x' }],
    ['an unknown status', { id: 'x', status: 'teleported' }],
    ['a numeric status', { id: 'x', status: 3 }],
    ['an array', [{ id: 'x', status: 'completed' }]],
    ['null', null],
  ])('rejects a body with %s', (_, body) => {
    expect(BolnaExecutionPayload.safeParse(body).success).toBe(false);
  });

  it('reads mistyped optional fields as absent instead of rejecting the delivery', () => {
    const parsed = BolnaExecutionPayload.parse({
      id: 'x',
      status: 'completed',
      conversation_duration: 'soon',
      answered_by_voice_mail: 'maybe',
      telephony_data: 'n/a',
      context_details: { recipient_data: 'n/a' },
      created_at: { when: 'now' },
    });
    expect(parsed.conversation_duration).toBeNull();
    expect(parsed.answered_by_voice_mail).toBeNull();
    expect(parsed.telephony_data).toBeUndefined();
    expect(parsed.context_details?.recipient_data).toBeUndefined();
    expect(parsed.created_at).toBeNull();
  });

  it('coerces numeric strings and prefers conversation_duration over older names', () => {
    const parsed = BolnaExecutionPayload.parse({
      id: 'x',
      status: 'completed',
      conversation_duration: '17.5',
      conversation_time: 99,
      telephony_data: { duration: '20' },
    });
    expect(executionDurationSeconds(parsed)).toBe(17.5);
    const telephonyOnly = BolnaExecutionPayload.parse({
      id: 'x',
      status: 'completed',
      telephony_data: { duration: '20' },
    });
    expect(executionDurationSeconds(telephonyOnly)).toBe(20);
  });

  it('finds switchboard_call_id in recipient_data, context user_data or top-level user_data', () => {
    const ref = 'row-1#2';
    const bodies = [
      { context_details: { recipient_data: { switchboard_call_id: ref, name: 'Dana' } } },
      { context_details: { user_data: { switchboard_call_id: ref } } },
      { user_data: { switchboard_call_id: ref } },
    ];
    for (const extra of bodies) {
      const parsed = BolnaExecutionPayload.parse({ id: 'x', status: 'queued', ...extra });
      expect(executionCallRef(parsed)).toBe(ref);
    }
  });

  it('makes a snapshot that keeps the raw body', () => {
    const parsed = BolnaExecutionPayload.parse(DOC_WEBHOOK);
    expect(toSnapshot(parsed, DOC_WEBHOOK)).toEqual({
      executionId: '7432382142914',
      status: 'completed',
      durationSeconds: 123,
      raw: DOC_WEBHOOK,
    });
  });
});
