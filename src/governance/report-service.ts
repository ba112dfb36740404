/**
 * The validation report of a model version: one zip an auditor can take away — the card (JSON, HTML, Markdown),
 * the test log (JSON and CSV) and a manifest, with `SHA256SUMS` (sha256sum's format) over all of them. Entry names
 * are built from sanitized parts only. The export itself is audited by the route.
 */
import yazl from 'yazl';
import type { CardRepo } from './card-repo.js';
import { buildCard } from './card-build.js';
import { canonicalJson, sha256Hex } from './card-json.js';
import type { CardService } from './card-service.js';
import { renderCard } from './card-service.js';
import { type LogEntry, testLog, testLogCsv } from './report-log.js';
import { isoTime } from './card-time.js';

export interface ReportArchive {
  filename: string;
  zip: Buffer;
  files: { name: string; sha256: string; bytes: number }[];
  content_hash: string;
}

/** A name part safe in a zip entry and a Content-Disposition filename: letters, digits, dot, dash, underscore. */
export function safeName(part: string): string {
  const s = part.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '');
  return (s || 'model').slice(0, 100);
}

export class ReportService {
  constructor(
    private readonly cards: CardService,
    private readonly repo: CardRepo,
  ) {}

  async build(name: string, version: string, requestedBy: string): Promise<ReportArchive> {
    const facts = await this.cards.facts(name, version);
    const now = this.cards.now();
    const card = buildCard(facts, this.cards.policy, now);
    const log: LogEntry[] = testLog(facts.checks, await this.repo.auditOf(name));
    const generatedAt = new Date(now).toISOString();
    const folder = `${safeName(name)}-v${safeName(version)}`;
    const files: [string, string][] = [
      ['card.json', renderCard(card, 'json').body],
      ['card.html', renderCard(card, 'html').body],
      ['card.md', renderCard(card, 'md').body],
      ['test-log.json', canonicalJson({ model: name, version, entries: log }, 2) + '\n'],
      ['test-log.csv', testLogCsv(log)],
      [
        'manifest.json',
        canonicalJson(
          {
            model: name,
            version,
            content_hash: card.content_hash,
            generated_at: generatedAt,
            generated_by: requestedBy,
            stale_sections: card.stale_sections,
            checks: log.length,
          },
          2,
        ) + '\n',
      ],
    ];
    const listed = files.map(([n, body]) => {
      const buf = Buffer.from(body, 'utf8');
      return { name: n, data: buf, sha256: sha256Hex(buf), bytes: buf.length };
    });
    const sums = listed.map((f) => `${f.sha256}  ${f.name}\n`).join('');
    // Entries dated at the newest fact, so the same facts give the same entries (the manifest says when it was made).
    const mtime = new Date(isoTime(card.as_of) !== null ? Math.max(card.as_of!, Date.UTC(1980, 0, 2)) : Date.UTC(1980, 0, 2));
    const zip = new yazl.ZipFile();
    for (const f of listed) zip.addBuffer(f.data, `${folder}/${f.name}`, { mtime, mode: 0o100644, compress: true });
    zip.addBuffer(Buffer.from(sums, 'utf8'), `${folder}/SHA256SUMS`, { mtime, mode: 0o100644, compress: true });
    zip.end();
    const buf = await new Promise<Buffer>((resolve, reject) => {
      const parts: Buffer[] = [];
      zip.outputStream.on('data', (c: Buffer) => parts.push(c));
      zip.outputStream.on('error', reject);
      zip.outputStream.on('end', () => resolve(Buffer.concat(parts)));
    });
    return {
      filename: `${folder}-validation-report.zip`,
      zip: buf,
      files: listed.map(({ name: n, sha256, bytes }) => ({ name: n, sha256, bytes })),
      content_hash: card.content_hash,
    };
  }
}
