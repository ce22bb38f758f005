import { expect } from '@jest/globals';
import type { Response } from 'supertest';
import { randomUUID } from 'node:crypto';
import type { Agent } from './test-app.js';

export const PROBLEM_JSON = /^application\/problem\+json/;

/** Asserts an RFC 9457 problem with the status; returns its body. */
export function expectProblem(response: Response, status: number): Problem {
  expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
  expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
  const body = response.body as Problem;
  expect(body).toEqual(
    expect.objectContaining({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) }),
  );
  return body;
}

/** Asserts a 400 validation problem that names every given field; returns the field errors. */
export function expectFieldErrors(response: Response, ...fields: string[]): FieldError[] {
  const body = expectProblem(response, 400);
  expect(Array.isArray(body.errors)).toBe(true);
  const errors = body.errors ?? [];
  for (const error of errors) expect(error).toEqual({ field: expect.any(String), message: expect.any(String) });
  const named = errors.map((e) => e.field);
  for (const field of fields) expect(named).toContain(field);
  return errors;
}

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export const SPOKESPERSON = { id: 'mumtaz-zahra-baloch', name: 'Mumtaz Zahra Baloch', title: 'Spokesperson, Ministry of Foreign Affairs' };

/** A valid `POST /api/briefings` body with a fresh client-chosen id; `overrides` replace its fields. */
export function openBody(overrides: Record<string, unknown> = {}): { briefingId: string } & Record<string, unknown> {
  return {
    briefingId: randomUUID(),
    title: 'Weekly press briefing',
    heldOn: '2024-02-01',
    location: 'Islamabad',
    organization: 'Ministry of Foreign Affairs of Pakistan',
    spokesperson: SPOKESPERSON,
    ...overrides,
  };
}

/** Opens a briefing; returns its id and the command's answer. */
export async function openBriefing(http: Agent, overrides: Record<string, unknown> = {}) {
  const body = openBody(overrides);
  const response = await http.post('/api/briefings').send(body).expect(201);
  return { briefingId: body.briefingId, position: response.body.position as number, revision: response.body.revision as number };
}

/** Records a statement; returns the command's answer. */
export async function recordStatement(http: Agent, briefingId: string, body: Record<string, unknown> = {}) {
  const response = await http
    .post(`/api/briefings/${briefingId}/statements`)
    .send({ text: 'Pakistan values its relations with all neighbours.', topics: ['afghanistan'], ...body })
    .expect(201);
  return response.body as { statementId: string; revision: number; position: number };
}
