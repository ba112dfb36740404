/** Silences: mute alerts matching every matcher between starts_at and ends_at. Deleting one expires it (it stays listed). */
import { randomUUID } from 'node:crypto';
import { InvalidParameterError, NotFoundError } from '../errors.js';
import type { Static } from '@sinclair/typebox';
import type { SilenceInput } from '../contract/alerts.js';
import type { Store } from '../store/index.js';
import type { Clock } from './alert-service.js';
import { durationField, instantField } from '../fields.js';
import * as repo from './notify-repo.js';
import { type Matcher, parseMatchers, silenceActive } from './silences.js';

export interface SilenceView {
  id: string;
  matchers: Matcher[];
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  created_at: number;
  /** active | pending (starts later) | expired. */
  status: 'active' | 'pending' | 'expired';
}

const MAX_COMMENT = 1024;

export class SilenceService {
  constructor(
    private readonly store: Store,
    private readonly now: Clock = Date.now,
  ) {}

  view(r: repo.SilenceRow, now = this.now()): SilenceView {
    const w = { matchers: JSON.parse(r.matchers) as Matcher[], starts_at: Number(r.starts_at), ends_at: Number(r.ends_at) };
    const status = silenceActive(w, now) ? 'active' : w.starts_at > now ? 'pending' : 'expired';
    return { id: r.id, ...w, created_by: r.created_by, comment: r.comment, created_at: Number(r.created_at), status };
  }

  /** {matchers, duration ("2h") | ends_at, starts_at?, comment?}. */
  async create(input: Static<typeof SilenceInput>, by: string): Promise<SilenceView> {
    const now = this.now();
    const matchers = parseMatchers(input.matchers);
    const startsAt = input.starts_at !== undefined ? instantField(input.starts_at, 'starts_at', now) : now;
    let endsAt: number;
    if (input.duration !== undefined) {
      if (input.ends_at !== undefined) throw new InvalidParameterError('ends_at', "Pass either 'duration' or 'ends_at', not both.");
      endsAt = startsAt + durationField(input.duration, 'duration');
    } else if (input.ends_at !== undefined) {
      endsAt = instantField(input.ends_at, 'ends_at', now);
    } else throw new InvalidParameterError('duration', "Missing value for required parameter 'duration' (or 'ends_at').");
    if (endsAt <= startsAt) throw new InvalidParameterError('ends_at', "'ends_at' must be after 'starts_at'.");
    if (endsAt <= now) throw new InvalidParameterError('ends_at', "'ends_at' is in the past.");
    const comment = input.comment ?? '';
    if (comment.length > MAX_COMMENT) throw new InvalidParameterError('comment', `'comment' exceeds ${MAX_COMMENT} characters.`);
    // PostgreSQL text cannot hold NUL; refused on both stores alike.
    if (comment.includes('\0')) throw new InvalidParameterError('comment', "'comment' must not contain NUL characters.");
    const row: repo.SilenceRow = {
      id: randomUUID(),
      matchers: JSON.stringify(matchers),
      starts_at: startsAt,
      ends_at: endsAt,
      created_by: by,
      comment,
      created_at: now,
    };
    await repo.insertSilence(this.store.db, row);
    return this.view(row, now);
  }

  /** Silences not yet ended; `all: true` includes expired ones. */
  async list(opts: { all?: boolean } = {}): Promise<SilenceView[]> {
    const now = this.now();
    const rows = await repo.listSilences(this.store.db, opts.all ? {} : { now });
    return rows.map((r) => this.view(r, now));
  }

  async get(id: string): Promise<SilenceView> {
    const r = await repo.findSilence(this.store.db, id);
    if (!r) throw new NotFoundError(`Silence '${id}' does not exist.`);
    return this.view(r);
  }

  /** Ends the silence now (a silence that has not started ends at its start). */
  async expire(id: string): Promise<SilenceView> {
    const s = await this.get(id);
    const now = this.now();
    if (s.ends_at > now) await repo.expireSilence(this.store.db, id, Math.max(s.starts_at, now));
    return this.get(id);
  }

  /** Silences in force or to come (for the evaluator). */
  async current(now: number) {
    return (await repo.listSilences(this.store.db, { now })).map((r) => this.view(r, now));
  }
}
